#if canImport(Glibc)
    import Glibc
#endif

/// Maps a URL prefix to a local folder, so `$ref`s to that prefix are read from disk
/// (`--ref-dir http://localhost:1234/=tests/remotes`). References never reach the network.
public struct SchemaRefDirectory: Sendable, Equatable {
    public var prefix: String
    public var directory: String

    public init(prefix: String, directory: String) {
        self.prefix = prefix
        self.directory = directory
    }

    /// Parses `PREFIX=DIR` (the first `=` splits, so prefixes may not hold one).
    public init?(argument: String) {
        guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else { return nil }
        prefix = String(argument[..<equals])
        directory = String(argument[argument.index(after: equals)...])
        guard !directory.isEmpty else { return nil }
    }
}

/// Why a schema could not be compiled.
public struct SchemaError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Every schema known by URI: the documents loaded, their embedded resources (`$id`), anchors
/// (`$anchor`, `$dynamicAnchor`) and every subschema by JSON Pointer.
final class SchemaRegistry {
    /// A subschema and the base URI it is read against (its parent's; its own `$id` applies on top).
    struct Location {
        var value: JSONValue
        var parentBase: SchemaURI
        /// One name for the subschema (`resource#/pointer`), so each compiles once.
        var canonical: String
        /// The dialect the subschema is read in (its resource's `$schema`, or the default).
        var draft: SchemaDraft
        /// False under a custom meta-schema whose `$vocabulary` leaves out the validation
        /// vocabulary: its keywords (`type`, `minimum`, `required`, ...) are then not asserted.
        var validation = true
    }

    private(set) var locations: [String: Location] = [:]
    /// Resource URI → its dynamic anchors (name → canonical location key).
    private(set) var dynamicAnchors: [String: [String: String]] = [:]
    private var loadedDocuments: Set<String> = []
    let refDirectories: [SchemaRefDirectory]
    /// The draft of a resource without `$schema` (`--default-draft`).
    let defaultDraft: SchemaDraft
    /// The meta-schemas whose draft is being worked out (a `$schema` chain that loops).
    private var resolvingMetaSchemas: Set<String> = []

    init(refDirectories: [SchemaRefDirectory], defaultDraft: SchemaDraft = .draft2020) {
        self.refDirectories = refDirectories
        self.defaultDraft = defaultDraft
    }

    /// Registers a whole document retrieved from (or named by) `uri`.
    func add(document: JSONValue, uri: SchemaURI) throws(SchemaError) {
        let key = uri.withoutFragment
        loadedDocuments.insert(key)
        let draft = try draft(of: document, inherited: defaultDraft, isRoot: true)
        try scan(document, parentBase: uri, scopes: [(key, "")], draft: draft)
    }

    /// The draft `value` is read in: the one its `$schema` names when it is a document or
    /// resource root (a custom meta-schema counts as the draft it is written in), else `inherited`.
    /// An unknown or unsupported `$schema` is an error naming the supported drafts.
    func draft(of value: JSONValue, inherited: SchemaDraft, isRoot: Bool) throws(SchemaError) -> SchemaDraft {
        guard let uri = value["$schema"]?.stringValue else { return inherited }
        if !isRoot {
            // `$schema` counts only where a resource starts: beside the `$id` of the draft it names.
            let named = SchemaDraft(metaSchema: uri) ?? inherited
            guard named.id(of: value) != nil else { return inherited }
        }
        if let draft = SchemaDraft(metaSchema: uri) { return draft }
        if uri.hasSuffix("json-schema.org/draft-03/schema") || uri.hasSuffix("json-schema.org/draft-03/schema#") {
            throw SchemaError("$schema \(uri): draft-03 is not supported (supported: \(SchemaDraft.supportedList))")
        }
        let unknown = SchemaError(
            "$schema \(uri) is not a supported draft (supported: \(SchemaDraft.supportedList)) nor a meta-schema that can be read (--ref-dir)"
        )
        let target = SchemaURI(uri)
        guard target.scheme != nil, !resolvingMetaSchemas.contains(target.withoutFragment) else { throw unknown }
        resolvingMetaSchemas.insert(target.withoutFragment)
        defer { resolvingMetaSchemas.remove(target.withoutFragment) }
        let meta: Location
        do { meta = try location(of: target) } catch { throw unknown }
        guard meta.value["$schema"] != nil else { throw unknown }
        return try draft(of: meta.value, inherited: inherited, isRoot: true)
    }

    /// The location a (fragment-free or fragment-bearing) absolute URI names, loading the document
    /// through `--ref-dir` mappings or `file:` paths when it is not known yet.
    func location(of uri: SchemaURI) throws(SchemaError) -> Location {
        var uri = uri
        // `https://json-schema.org/draft-07/schema` names the bundled `http://...` one.
        if let canonical = BundledMetaSchemas.canonicalURI(uri.withoutFragment), !isMapped(uri.withoutFragment) {
            let fragment = uri.fragment
            uri = SchemaURI(canonical)
            uri.fragment = fragment
        }
        let key = Self.key(uri)
        if let found = locations[key] { return found }
        let document = uri.withoutFragment
        if !loadedDocuments.contains(document) {
            try load(document)
            if let found = locations[key] { return found }
        }
        // A pointer into a place the scan did not register (a keyword we do not know).
        if let fragment = uri.fragment.map(SchemaURI.percentDecoded), fragment.hasPrefix("/") {
            var base = uri
            base.fragment = nil
            if let root = locations[base.description], let value = JSONPointer.resolve(fragment, in: root.value) {
                return Location(
                    value: value, parentBase: root.parentBase.resolving(root.draft.id(of: root.value) ?? ""),
                    canonical: key, draft: root.draft)
            }
        }
        throw SchemaError("cannot resolve reference \(uri)")
    }

    /// Whether the validation vocabulary applies to `value`: false when its `$schema` (at a
    /// document or resource root) is a custom meta-schema whose `$vocabulary` does not list it.
    func validationVocabulary(of value: JSONValue, inherited: Bool, isRoot: Bool) -> Bool {
        guard let uri = value["$schema"]?.stringValue else { return inherited }
        guard SchemaDraft(metaSchema: uri) == nil else { return true }
        guard let meta = try? location(of: SchemaURI(uri)) else { return inherited }
        if !isRoot && meta.draft.id(of: value) == nil { return inherited }
        guard let vocabularies = meta.value["$vocabulary"]?.objectValue else { return true }
        return vocabularies.contains { $0.0.hasSuffix("/vocab/validation") }
    }

    /// The lookup key of a URI: no empty fragment, pointer fragments percent-decoded.
    static func key(_ uri: SchemaURI) -> String {
        var copy = uri
        if let fragment = copy.fragment {
            copy.fragment = fragment.isEmpty ? nil : SchemaURI.percentDecoded(fragment)
        }
        return copy.description
    }

    private func isMapped(_ document: String) -> Bool {
        refDirectories.contains { document.hasPrefix($0.prefix) }
    }

    private func load(_ document: String) throws(SchemaError) {
        loadedDocuments.insert(document)
        if !isMapped(document), let value = BundledMetaSchemas.document(document) {
            try add(document: value, uri: SchemaURI(document))
            return
        }
        var path: String?
        for mapping in refDirectories where document.hasPrefix(mapping.prefix) {
            let rest = document.dropFirst(mapping.prefix.count)
            let joined =
                mapping.directory.hasSuffix("/") || rest.hasPrefix("/")
                ? mapping.directory + rest : mapping.directory + "/" + rest
            for candidate in [joined, joined + ".json"] where SchemaFile.exists(candidate) {
                path = candidate
                break
            }
            if path != nil { break }
        }
        let parsed = SchemaURI(document)
        if path == nil, parsed.scheme == "file", SchemaFile.exists(SchemaURI.percentDecoded(parsed.path)) {
            path = SchemaURI.percentDecoded(parsed.path)
        }
        guard let path else {
            throw SchemaError("cannot resolve reference \(document): not mapped by --ref-dir and not a local file")
        }
        let value = try SchemaFile.readJSON(path)
        try add(document: value, uri: parsed)
    }

    /// Walks schema keywords (never `enum`/`const` data), registering resources and anchors.
    private func scan(
        _ value: JSONValue, parentBase: SchemaURI, scopes: [(resource: String, pointer: String)], draft: SchemaDraft
    ) throws(SchemaError) {
        guard case .object(let members) = value else {
            register(value, parentBase: parentBase, scopes: scopes, draft: draft)
            return
        }
        var base = parentBase
        var scopes = scopes
        let draft = try self.draft(of: value, inherited: draft, isRoot: false)
        if let id = draft.id(of: value) {
            base = parentBase.resolving(id)
            base.fragment = nil
            let resource = base.description
            if scopes.last?.resource != resource || scopes.last?.pointer != "" {
                scopes.append((resource, ""))
            }
        }
        register(value, parentBase: parentBase, scopes: scopes, draft: draft)
        let resource = scopes.last!.resource
        if let anchor = draft.anchor(of: value) {
            locations[resource + "#" + anchor] = locations[canonical(scopes)]
        }
        if draft == .draft2020, let anchor = value["$dynamicAnchor"]?.stringValue {
            locations[resource + "#" + anchor] = locations[canonical(scopes)]
            dynamicAnchors[resource, default: [:]][anchor] = canonical(scopes)
        }
        if draft == .draft2019, value["$recursiveAnchor"] == .bool(true) {
            // 2019-09's `$recursiveAnchor: true` is kept as a dynamic anchor with the empty name,
            // which no `$dynamicAnchor` can have.
            dynamicAnchors[resource, default: [:]][""] = canonical(scopes)
        }
        func child(_ sub: JSONValue, _ tokens: String...) throws(SchemaError) {
            let suffix = tokens.map { "/" + JSONPointer.escape($0) }.joined()
            try scan(sub, parentBase: base, scopes: scopes.map { ($0.resource, $0.pointer + suffix) }, draft: draft)
        }
        for (key, sub) in members {
            switch key {
            case "additionalProperties", "propertyNames", "contains", "not", "if", "then", "else",
                "unevaluatedItems", "unevaluatedProperties", "contentSchema", "additionalItems":
                try child(sub, key)
            case "items":
                // An array of schemas before 2020-12.
                if case .array(let list) = sub {
                    for (k, s) in list.enumerated() { try child(s, key, String(k)) }
                } else {
                    try child(sub, key)
                }
            case "$defs", "definitions", "properties", "patternProperties", "dependentSchemas", "dependencies":
                if case .object(let map) = sub { for (name, s) in map { try child(s, key, name) } }
            case "allOf", "anyOf", "oneOf", "prefixItems":
                if case .array(let list) = sub { for (k, s) in list.enumerated() { try child(s, key, String(k)) } }
            default:
                break
            }
        }
    }

    private func canonical(_ scopes: [(resource: String, pointer: String)]) -> String {
        let last = scopes.last!
        return last.pointer.isEmpty ? last.resource : last.resource + "#" + last.pointer
    }

    private func register(
        _ value: JSONValue, parentBase: SchemaURI, scopes: [(resource: String, pointer: String)], draft: SchemaDraft
    ) {
        let location = Location(value: value, parentBase: parentBase, canonical: canonical(scopes), draft: draft)
        for scope in scopes {
            locations[scope.pointer.isEmpty ? scope.resource : scope.resource + "#" + scope.pointer] = location
        }
    }
}

/// Reading schema files without Foundation.
enum SchemaFile {
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The bytes of the file at `path`.
    static func read(_ path: String) throws(SchemaError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SchemaError("\(path): cannot open: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SchemaError("\(path): cannot read: \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return bytes
    }

    /// The file at `path` parsed as one JSON value.
    /// How deep a schema document may nest. Schemas are materialised and compiled by recursive
    /// walks; real schemas nest a few dozen levels, and this bound keeps those walks far from the
    /// end of the stack (a deeper one is a usage error, not a crash).
    static let maxDepth = 256

    static func readJSON(_ path: String) throws(SchemaError) -> JSONValue {
        switch JSONValue.parse(try read(path), maxDepth: maxDepth) {
        case .success(let value): return value
        case .failure(let error): throw SchemaError("\(path): not valid JSON: \(error.message)")
        }
    }

    /// The absolute `file://` URI of `path` (relative paths against the working directory).
    static func fileURI(_ path: String) -> SchemaURI {
        var absolute = path
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: 4096)
            if getcwd(&buffer, buffer.count) != nil {
                let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                absolute = (cwd.hasSuffix("/") ? cwd : cwd + "/") + path
            }
        }
        return SchemaURI("file://" + absolute)
    }
}
