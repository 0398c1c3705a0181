/// The parts of a Hugging Face dataset card (README.md) that come from the data
/// (`soc-stats --format card`): the YAML header (`size_categories`, `configs` with `data_files`,
/// `dataset_info.splits`, `language` when given) and Markdown sections: the structure (the
/// fields of the first record and that record as an example), the statistics tables, and the
/// cleaning funnel when `--reports` are given. Everything from the data is escaped: YAML strings
/// are double-quoted JSON strings, Markdown text goes through `MarkdownReport`'s escaping.
public enum DatasetCard {
    /// What the card needs beyond the statistics.
    public struct Settings: Equatable, Sendable {
        /// `data_files` paths or globs; empty: the input files.
        public var dataFiles: [String]
        /// ISO 639 codes for `language` (left out when empty: soc-stats does not guess it).
        public var languages: [String]

        public init(dataFiles: [String] = [], languages: [String] = []) {
            self.dataFiles = dataFiles
            self.languages = languages
        }
    }

    /// Strings in the example longer than this many characters are cut, lists longer than
    /// `exampleItems` shortened, so that the example stays a readable size.
    static let exampleCharacters = 240
    static let exampleItems = 6

    public static func render(_ stats: StatsDocument, funnel: CleaningFunnel?, settings: Settings) -> String {
        var out = yamlHeader(stats, settings: settings)
        out += "\n" + structure(stats)
        out += "\n" + MarkdownReport.render(stats, yamlHint: false)
        if let funnel { out += "\n## Cleaning\n\n" + FunnelReport.markdownTable(funnel) }
        return out
    }

    /// The files the card's `data_files` name: `--data-files`, else the inputs that are files.
    static func dataFiles(_ stats: StatsDocument, _ settings: Settings) -> [String] {
        if !settings.dataFiles.isEmpty { return settings.dataFiles }
        return stats.inputs.filter { $0 != "-" && $0 != "<stdin>" && !$0.isEmpty }
    }

    /// The YAML front matter, between `---` lines.
    static func yamlHeader(_ stats: StatsDocument, settings: Settings) -> String {
        var out = "---\n"
        if !settings.languages.isEmpty {
            out += "language:\n" + settings.languages.map { "- \(yamlString($0))\n" }.joined()
        }
        out += "size_categories:\n- \(yamlString(StatsDocument.sizeCategory(stats.records)))\n"
        let files = dataFiles(stats, settings)
        if !files.isEmpty {
            out += "configs:\n- config_name: default\n  data_files:\n  - split: train\n    path:\n"
            out += files.map { "    - \(yamlString($0))\n" }.joined()
        }
        out += "dataset_info:\n  splits:\n  - name: train\n    num_examples: \(stats.records)\n"
        return out + "---\n"
    }

    /// A YAML double-quoted scalar. `"` and `\\` are escaped, and so is every character YAML
    /// would not keep as it is inside quotes: C0 and C1 controls, DEL, the line and paragraph
    /// separators and NEL (line breaks to YAML, folded away), and U+FEFF.
    static func yamlString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0..<0x20, 0x7F...0x9F, 0x2028, 0x2029, 0xFEFF:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// "## Dataset structure": what a record holds (from the first one) and the example.
    static func structure(_ stats: StatsDocument) -> String {
        typealias R = ReportContent
        var out = "## Dataset structure\n\n"
        var kinds: [String] = []
        if stats.chats.records > 0 { kinds.append("\(R.integer(stats.chats.records)) chats") }
        if stats.personas.records > 0 { kinds.append("\(R.integer(stats.personas.records)) SPB personas") }
        if stats.other.records > 0 { kinds.append("\(R.integer(stats.other.records)) other records") }
        out +=
            "Each line is one JSON record (JSON Lines): \(kinds.isEmpty ? "no records" : kinds.joined(separator: ", ")).\n"
        guard let text = stats.example, case .success(let record) = JSONValue.parse(Array(text.utf8)) else {
            return out
        }
        out += "\n### Fields\n\nAs found in the first record:\n\n"
        out += fieldList(record, path: "", depth: 0)
        out +=
            "\n### Example\n\nThe first record (strings over \(exampleCharacters) characters and lists over \(exampleItems) items shortened):\n\n"
        let shown = shorten(record).prettyPrinted()
        let fence = String(repeating: "`", count: Swift.max(3, longestBacktickRun(shown) + 1))
        out += fence + "json\n" + shown + "\n" + fence + "\n"
        return out
    }

    /// `- `path` (type)` lines, nested objects and lists of objects indented below their key.
    static func fieldList(_ value: JSONValue, path: String, depth: Int) -> String {
        guard depth < 4 else { return "" }
        var out = ""
        let indent = String(repeating: "  ", count: depth)
        var seen: Set<String> = []
        for (key, member) in value.objectValue ?? [] where seen.insert(key).inserted {
            let name = path + key
            out += "\(indent)- \(MarkdownReport.codeSpan(name)) (\(typeName(member)))\n"
            switch member {
            case .object:
                out += fieldList(member, path: name + ".", depth: depth + 1)
            case .array(let items):
                if let first = items.first, case .object = first {
                    // The keys of the list's objects, in the order first seen.
                    var merged: [(String, JSONValue)] = []
                    var keys: Set<String> = []
                    for case .object(let members) in items {
                        for (k, v) in members where keys.insert(k).inserted { merged.append((k, v)) }
                    }
                    out += fieldList(.object(merged), path: name + "[].", depth: depth + 1)
                }
            default: break
            }
        }
        return out
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "boolean"
        case .number(let n): return n.text.contains(where: { ".eE".contains($0) }) ? "number" : "integer"
        case .string: return "string"
        case .object: return "object"
        case .array(let items):
            let types = Set(items.map(typeName))
            return types.count == 1 ? "list of \(types.first!)" : types.isEmpty ? "list" : "list"
        }
    }

    /// The record with long strings cut and long lists shortened (a note stands for the rest).
    static func shorten(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let s):
            let scalars = s.unicodeScalars
            guard scalars.count > exampleCharacters else { return value }
            return .string(String(String.UnicodeScalarView(scalars.prefix(exampleCharacters))) + "…")
        case .array(let items):
            var kept = items.prefix(exampleItems).map(shorten)
            if items.count > exampleItems { kept.append(.string("… \(items.count - exampleItems) more")) }
            return .array(kept)
        case .object(let members):
            return .object(members.map { ($0.0, shorten($0.1)) })
        default:
            return value
        }
    }

    static func longestBacktickRun(_ text: String) -> Int {
        var longest = 0
        var run = 0
        for ch in text.unicodeScalars {
            run = ch == "`" ? run + 1 : 0
            longest = Swift.max(longest, run)
        }
        return longest
    }
}
