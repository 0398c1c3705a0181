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
    }

    private(set) var locations: [String: Location] = [:]
    /// Resource URI → its dynamic anchors (name → canonical location key).
    private(set) var dynamicAnchors: [String: [String: String]] = [:]
    private var loadedDocuments: Set<String> = []
    let refDirectories: [SchemaRefDirectory]

    init(refDirectories: [SchemaRefDirectory]) {
        self.refDirectories = refDirectories
    }

    /// Registers a whole document retrieved from (or named by) `uri`.
    func add(document: JSONValue, uri: SchemaURI) {
        let key = uri.withoutFragment
        loadedDocuments.insert(key)
        scan(document, parentBase: uri, scopes: [(key, "")])
    }

    /// The location a (fragment-free or fragment-bearing) absolute URI names, loading the document
    /// through `--ref-dir` mappings or `file:` paths when it is not known yet.
    func location(of uri: SchemaURI) throws(SchemaError) -> Location {
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
                    value: value, parentBase: root.parentBase.resolving(root.value["$id"]?.stringValue ?? ""),
                    canonical: key)
            }
        }
        throw SchemaError("cannot resolve reference \(uri)")
    }

    /// The lookup key of a URI: no empty fragment, pointer fragments percent-decoded.
    static func key(_ uri: SchemaURI) -> String {
        var copy = uri
        if let fragment = copy.fragment {
            copy.fragment = fragment.isEmpty ? nil : SchemaURI.percentDecoded(fragment)
        }
        return copy.description
    }

    private func load(_ document: String) throws(SchemaError) {
        loadedDocuments.insert(document)
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
        add(document: value, uri: parsed)
    }

    /// Walks schema keywords (never `enum`/`const` data), registering resources and anchors.
    private func scan(_ value: JSONValue, parentBase: SchemaURI, scopes: [(resource: String, pointer: String)]) {
        guard case .object(let members) = value else {
            register(value, parentBase: parentBase, scopes: scopes)
            return
        }
        var base = parentBase
        var scopes = scopes
        if let id = value["$id"]?.stringValue {
            base = parentBase.resolving(id)
            base.fragment = nil
            let resource = base.description
            if scopes.last?.resource != resource || scopes.last?.pointer != "" {
                scopes.append((resource, ""))
            }
        }
        register(value, parentBase: parentBase, scopes: scopes)
        let resource = scopes.last!.resource
        if let anchor = value["$anchor"]?.stringValue {
            locations[resource + "#" + anchor] = locations[canonical(scopes)]
        }
        if let anchor = value["$dynamicAnchor"]?.stringValue {
            locations[resource + "#" + anchor] = locations[canonical(scopes)]
            dynamicAnchors[resource, default: [:]][anchor] = canonical(scopes)
        }
        func child(_ sub: JSONValue, _ tokens: String...) {
            let suffix = tokens.map { "/" + JSONPointer.escape($0) }.joined()
            scan(sub, parentBase: base, scopes: scopes.map { ($0.resource, $0.pointer + suffix) })
        }
        for (key, sub) in members {
            switch key {
            case "additionalProperties", "propertyNames", "items", "contains", "not", "if", "then", "else",
                "unevaluatedItems", "unevaluatedProperties", "contentSchema", "additionalItems":
                child(sub, key)
            case "$defs", "definitions", "properties", "patternProperties", "dependentSchemas", "dependencies":
                if case .object(let map) = sub { for (name, s) in map { child(s, key, name) } }
            case "allOf", "anyOf", "oneOf", "prefixItems":
                if case .array(let list) = sub { for (k, s) in list.enumerated() { child(s, key, String(k)) } }
            default:
                break
            }
        }
    }

    private func canonical(_ scopes: [(resource: String, pointer: String)]) -> String {
        let last = scopes.last!
        return last.pointer.isEmpty ? last.resource : last.resource + "#" + last.pointer
    }

    private func register(_ value: JSONValue, parentBase: SchemaURI, scopes: [(resource: String, pointer: String)]) {
        let location = Location(value: value, parentBase: parentBase, canonical: canonical(scopes))
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
