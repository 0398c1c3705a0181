/// A JSON Schema dialect: which keywords a schema resource has and what they mean.
///
/// A resource says its draft with `$schema`; one without it gets `JSONSchema.Options.defaultDraft`
/// (2020-12 unless `--default-draft`). The differences handled here: `id` (draft 4) against
/// `$id`; `$ref` hiding its siblings before 2019-09; array `items` with `additionalItems` before
/// 2020-12; draft 4's boolean `exclusiveMaximum`/`exclusiveMinimum`; `dependencies` before
/// 2019-09; `$recursiveRef` in 2019-09; and the keywords each draft added.
public enum SchemaDraft: String, CaseIterable, Sendable, Comparable {
    case draft4 = "draft-04"
    case draft6 = "draft-06"
    case draft7 = "draft-07"
    case draft2019 = "2019-09"
    case draft2020 = "2020-12"

    /// The meta-schema URI `$schema` names the draft by (http for the old drafts, as published).
    public var metaSchemaURI: String {
        switch self {
        case .draft4, .draft6, .draft7: return "http://json-schema.org/\(rawValue)/schema"
        case .draft2019, .draft2020: return "https://json-schema.org/draft/\(rawValue)/schema"
        }
    }

    /// The drafts in the words messages and `--help` use.
    public static let supportedList = "2020-12, 2019-09, draft-07, draft-06, draft-04"

    /// The draft whose meta-schema `uri` names: `http` or `https`, with or without a trailing
    /// `#` (or an empty fragment); nil for anything else.
    public init?(metaSchema uri: String) {
        var text = Substring(uri)
        if text.hasSuffix("#") { text = text.dropLast() }
        if text.hasPrefix("https://") {
            text = text.dropFirst(8)
        } else if text.hasPrefix("http://") {
            text = text.dropFirst(7)
        } else {
            return nil
        }
        guard let draft = Self.allCases.first(where: { $0.metaSchemaURI.hasSuffix("://" + text) }) else { return nil }
        self = draft
    }

    /// `--default-draft` spellings: `2020-12`, `2019-09`, `7`, `draft-07`, `draft7`, ...
    public init?(name: String) {
        switch name.lowercased() {
        case "2020-12", "draft2020-12", "draft-2020-12": self = .draft2020
        case "2019-09", "draft2019-09", "draft-2019-09": self = .draft2019
        case "7", "07", "draft7", "draft-07", "draft-7": self = .draft7
        case "6", "06", "draft6", "draft-06", "draft-6": self = .draft6
        case "4", "04", "draft4", "draft-04", "draft-4": self = .draft4
        default: return nil
        }
    }

    public static func < (a: SchemaDraft, b: SchemaDraft) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The keyword that gives a resource its URI.
    var idKeyword: String { self == .draft4 ? "id" : "$id" }

    /// Before 2019-09 a `$ref` replaces the schema it sits in: its siblings (`$id` too) are ignored.
    var refHidesSiblings: Bool { self < .draft2019 }

    /// The base-changing identifier of `value`: its `$id` (`id`), unless the draft ignores it
    /// there (beside `$ref` before 2019-09) or it is only a fragment (a plain-name anchor before
    /// 2019-09; in 2019-09 and later an `$id` of just a fragment is not a base either).
    func id(of value: JSONValue) -> String? {
        guard let id = value[idKeyword]?.stringValue else { return nil }
        if refHidesSiblings && value["$ref"] != nil { return nil }
        if id.hasPrefix("#") { return nil }
        return id
    }

    /// The plain-name anchor `value` declares: `$anchor` (2019-09 on), or an `$id` (`id`) of
    /// the form `#name` before 2019-09.
    func anchor(of value: JSONValue) -> String? {
        if self >= .draft2019 { return value["$anchor"]?.stringValue }
        guard let id = value[idKeyword]?.stringValue else { return nil }
        if value["$ref"] != nil { return nil }
        if let hash = id.firstIndex(of: "#") {
            let name = id[id.index(after: hash)...]
            if !name.isEmpty && !name.hasPrefix("/") { return String(name) }
        }
        return nil
    }
}
