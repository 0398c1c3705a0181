/// Turns schema JSON (`JSONValue`) into the node array `JSONSchema` evaluates: every keyword
/// parsed once, every `$ref` resolved to a node index, every regex compiled once.
final class SchemaCompiler {
    let registry: SchemaRegistry
    let strictFormat: Bool
    private(set) var nodes: [SchemaNode] = []
    private var compiled: [String: Int] = [:]
    private(set) var resources: [String: Int] = [:]
    /// `compile` recurses through subschemas and `$ref` chains (which no document depth bounds).
    private var stack = StackGuard()

    init(registry: SchemaRegistry, strictFormat: Bool) {
        self.registry = registry
        self.strictFormat = strictFormat
        stack.prepare()
    }

    /// The index of the resource named `uri` (created on first use).
    func resource(_ uri: String) -> Int {
        if let index = resources[uri] { return index }
        let index = resources.count
        resources[uri] = index
        return index
    }

    /// Compiles every `$dynamicAnchor` of every known resource, as the dynamic scope may pick any.
    /// Returns, per resource index, anchor name → node index.
    func compileDynamicAnchors() throws(SchemaError) -> [[String: Int]] {
        var table: [[String: Int]] = []
        var done = 0
        repeat {
            done = nodes.count
            for (resourceURI, anchors) in registry.dynamicAnchors {
                for (_, key) in anchors {
                    _ = try compile(registry.location(of: SchemaURI(key)))
                }
                _ = resource(resourceURI)
            }
        } while nodes.count != done
        table = Array(repeating: [:], count: resources.count)
        for (resourceURI, anchors) in registry.dynamicAnchors {
            let index = resource(resourceURI)
            if index >= table.count { table.append(contentsOf: repeatElement([:], count: index - table.count + 1)) }
            for (name, key) in anchors {
                table[index][name] = try compile(registry.location(of: SchemaURI(key)))
            }
        }
        return table
    }

    /// Compiles the subschema at `location` (once) and returns its node index.
    func compile(_ location: SchemaRegistry.Location) throws(SchemaError) -> Int {
        if let index = compiled[location.canonical] { return index }
        if stack.isExhausted() {
            throw SchemaError("\(location.canonical): subschemas and references nest too deeply to compile")
        }
        var base = location.parentBase
        if let id = location.value["$id"]?.stringValue {
            base = base.resolving(id)
        }
        base.fragment = nil
        let index = nodes.count
        let node = SchemaNode(resource: resource(base.description), location: location.canonical)
        nodes.append(node)
        compiled[location.canonical] = index
        switch location.value {
        case .bool(let value):
            node.constant = value
        case .object:
            try fill(node, object: location.value, base: base, canonical: location.canonical)
        default:
            throw SchemaError("\(location.canonical): a schema must be an object or a boolean")
        }
        return index
    }

    private func fill(_ node: SchemaNode, object: JSONValue, base: SchemaURI, canonical: String) throws(SchemaError) {
        func sub(_ value: JSONValue, _ tokens: String...) throws(SchemaError) -> Int {
            let suffix = tokens.map { "/" + JSONPointer.escape($0) }.joined()
            var name = canonical.contains("#") ? canonical + suffix : canonical + "#" + suffix
            if let id = value["$id"]?.stringValue {
                var resolved = base.resolving(id)
                resolved.fragment = nil
                name = resolved.description
            }
            return try compile(SchemaRegistry.Location(value: value, parentBase: base, canonical: name))
        }
        func number(_ key: String) throws(SchemaError) -> Double? {
            guard let value = object[key] else { return nil }
            guard let double = value.doubleValue else { throw SchemaError("\(canonical): \(key) must be a number") }
            return double
        }
        func limit(_ key: String) throws(SchemaError) -> SchemaLimit? {
            guard let value = object[key] else { return nil }
            guard case .number(let number) = value, let limit = SchemaLimit(number) else {
                throw SchemaError("\(canonical): \(key) must be a number")
            }
            return limit
        }
        func count(_ key: String) throws(SchemaError) -> Int? {
            guard let double = try number(key) else { return nil }
            guard double >= 0, double == double.rounded() else {
                throw SchemaError("\(canonical): \(key) must be a non-negative integer")
            }
            return double > 1e15 ? Int(1e15) : Int(double)
        }
        func schemaList(_ key: String) throws(SchemaError) -> [Int]? {
            guard let value = object[key] else { return nil }
            guard let list = value.arrayValue else {
                throw SchemaError("\(canonical): \(key) must be an array of schemas")
            }
            var result: [Int] = []
            for (k, item) in list.enumerated() { result.append(try sub(item, key, String(k))) }
            return result
        }
        func schemaMap(_ key: String) throws(SchemaError) -> [(PropertyName, Int)]? {
            guard let value = object[key] else { return nil }
            guard let map = value.objectValue else {
                throw SchemaError("\(canonical): \(key) must be an object of schemas")
            }
            var result: [(PropertyName, Int)] = []
            for (name, item) in map { result.append((PropertyName(name), try sub(item, key, name))) }
            return result
        }

        var keywords: [SchemaKeyword] = []
        // Cheap assertions first so that invalid values fail before applicators run.
        if let type = object["type"] {
            var set = SchemaTypeSet()
            let names: [JSONValue] = type.arrayValue ?? [type]
            for name in names {
                guard let text = name.stringValue, let bit = SchemaTypeSet(name: text) else {
                    throw SchemaError("\(canonical): unknown type \(name.serialized())")
                }
                set.insert(bit)
            }
            keywords.append(.type(set))
        }
        if let value = object["const"] { keywords.append(.constant(value)) }
        if let value = object["enum"] {
            guard let list = value.arrayValue else { throw SchemaError("\(canonical): enum must be an array") }
            keywords.append(.enumeration(list))
        }
        if let value = try limit("minimum") { keywords.append(.minimum(value, exclusive: false)) }
        if let value = try limit("exclusiveMinimum") { keywords.append(.minimum(value, exclusive: true)) }
        if let value = try limit("maximum") { keywords.append(.maximum(value, exclusive: false)) }
        if let value = try limit("exclusiveMaximum") { keywords.append(.maximum(value, exclusive: true)) }
        if let value = try limit("multipleOf") {
            guard !value.decimal.negative, !value.decimal.isZero else {
                throw SchemaError("\(canonical): multipleOf must be greater than 0")
            }
            keywords.append(.multipleOf(value))
        }
        if let value = try count("minLength") { keywords.append(.minLength(value)) }
        if let value = try count("maxLength") { keywords.append(.maxLength(value)) }
        if let value = object["pattern"] {
            guard let text = value.stringValue else { throw SchemaError("\(canonical): pattern must be a string") }
            keywords.append(.pattern(try Self.regex(text, at: canonical)))
        }
        if strictFormat, let name = object["format"]?.stringValue, let format = SchemaFormat(rawValue: name) {
            keywords.append(.format(format))
        }
        if let value = try count("minItems") { keywords.append(.minItems(value)) }
        if let value = try count("maxItems") { keywords.append(.maxItems(value)) }
        if case .bool(true) = object["uniqueItems"] { keywords.append(.uniqueItems) }
        if let value = try count("minProperties") { keywords.append(.minProperties(value)) }
        if let value = try count("maxProperties") { keywords.append(.maxProperties(value)) }
        if let value = object["required"] {
            guard let list = value.arrayValue?.compactMap(\.stringValue) else {
                throw SchemaError("\(canonical): required must be an array of strings")
            }
            keywords.append(.required(PropertyTable(list)))
        }
        if let value = object["dependentRequired"]?.objectValue {
            keywords.append(
                .dependentRequired(
                    value.map {
                        (PropertyName($0.0), ($0.1.arrayValue ?? []).compactMap(\.stringValue).map(PropertyName.init))
                    }))
        }
        // Draft 2019-09 split `dependencies`; older schemas still use it, so read both halves.
        if let value = object["dependencies"]?.objectValue {
            let names = value.filter { $0.1.arrayValue != nil }
            if !names.isEmpty {
                keywords.append(
                    .dependentRequired(
                        names.map {
                            (
                                PropertyName($0.0),
                                ($0.1.arrayValue ?? []).compactMap(\.stringValue).map(PropertyName.init)
                            )
                        }))
            }
            var schemas: [(PropertyName, Int)] = []
            for (name, item) in value where item.arrayValue == nil {
                schemas.append((PropertyName(name), try sub(item, "dependencies", name)))
            }
            if !schemas.isEmpty { keywords.append(.dependentSchemas(schemas)) }
        }

        // Applicators on arrays.
        var prefixCount = 0
        if let list = try schemaList("prefixItems") {
            prefixCount = list.count
            keywords.append(.prefixItems(list))
        }
        if let value = object["items"] { keywords.append(.items(try sub(value, "items"), after: prefixCount)) }
        if let value = object["contains"] {
            let minimum = try count("minContains") ?? 1
            keywords.append(.contains(try sub(value, "contains"), min: minimum, max: try count("maxContains")))
        }

        // Applicators on objects.
        let properties = try schemaMap("properties")
        if let properties { keywords.append(.properties(PropertyTable(properties.map(\.0.name)), properties.map(\.1))) }
        var patterns: [(PCRE2Regex, Int)] = []
        if let value = object["patternProperties"] {
            guard let map = value.objectValue else {
                throw SchemaError("\(canonical): patternProperties must be an object")
            }
            for (text, item) in map {
                patterns.append((try Self.regex(text, at: canonical), try sub(item, "patternProperties", text)))
            }
            keywords.append(.patternProperties(patterns))
        }
        if let value = object["additionalProperties"] {
            keywords.append(
                .additionalProperties(
                    try sub(value, "additionalProperties"), known: PropertyTable(properties?.map(\.0.name) ?? []),
                    patterns: patterns.map(\.0)))
        }
        if let value = object["propertyNames"] { keywords.append(.propertyNames(try sub(value, "propertyNames"))) }
        if let map = try schemaMap("dependentSchemas") { keywords.append(.dependentSchemas(map)) }

        // In-place applicators.
        if let value = object["$ref"]?.stringValue {
            let target = try registry.location(of: base.resolving(value))
            keywords.append(.ref(try compile(target)))
        }
        if let value = object["$dynamicRef"]?.stringValue {
            let uri = base.resolving(value)
            let target = try registry.location(of: uri)
            var anchor: String?
            if let fragment = uri.fragment, !fragment.isEmpty, !fragment.hasPrefix("/"),
                target.value["$dynamicAnchor"]?.stringValue == fragment
            {
                anchor = fragment
            }
            keywords.append(.dynamicRef(try compile(target), anchor: anchor))
        }
        if let list = try schemaList("allOf") { keywords.append(.allOf(list)) }
        if let list = try schemaList("anyOf") { keywords.append(.anyOf(list)) }
        if let list = try schemaList("oneOf") { keywords.append(.oneOf(list)) }
        if let value = object["not"] { keywords.append(.not(try sub(value, "not"))) }
        if let value = object["if"] {
            let thenNode = try object["then"].map { (v) throws(SchemaError) in try sub(v, "then") }
            let elseNode = try object["else"].map { (v) throws(SchemaError) in try sub(v, "else") }
            keywords.append(.conditional(if: try sub(value, "if"), then: thenNode, else: elseNode))
        }

        // Last: they depend on what every keyword above evaluated.
        if let value = object["unevaluatedItems"] {
            keywords.append(.unevaluatedItems(try sub(value, "unevaluatedItems")))
            node.tracksEvaluation = true
        }
        if let value = object["unevaluatedProperties"] {
            keywords.append(.unevaluatedProperties(try sub(value, "unevaluatedProperties")))
            node.tracksEvaluation = true
        }
        // Subschemas under $defs are compiled only when referenced; unknown keywords are ignored.
        node.keywords = keywords
    }

    /// Compiles an ECMA-262 `pattern` with PCRE2 (UTF, UCP; `$` matches only at the very end,
    /// as in ECMA-262, where PCRE2 would also match before a final newline).
    static func regex(_ pattern: String, at location: String) throws(SchemaError) -> PCRE2Regex {
        do {
            return try PCRE2Regex(ECMAPattern.translate(pattern), options: .dollarEndOnly)
        } catch {
            throw SchemaError("\(location): pattern /\(pattern)/ does not compile: \(error)")
        }
    }
}
