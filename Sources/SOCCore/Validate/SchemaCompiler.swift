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
        if let id = location.draft.id(of: location.value) {
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
            try fill(
                node, object: location.value, base: base, canonical: location.canonical, draft: location.draft,
                inheritedValidation: location.validation)
            if !location.validation { node.keywords.removeAll { $0.isValidation } }
        default:
            throw SchemaError("\(location.canonical): a schema must be an object or a boolean")
        }
        return index
    }

    private func fill(
        _ node: SchemaNode, object: JSONValue, base: SchemaURI, canonical: String, draft: SchemaDraft,
        inheritedValidation: Bool
    ) throws(SchemaError) {
        func sub(_ value: JSONValue, _ tokens: String...) throws(SchemaError) -> Int {
            let suffix = tokens.map { "/" + JSONPointer.escape($0) }.joined()
            var name = canonical.contains("#") ? canonical + suffix : canonical + "#" + suffix
            let childDraft = try registry.draft(of: value, inherited: draft, isRoot: false)
            if let id = childDraft.id(of: value) {
                var resolved = base.resolving(id)
                resolved.fragment = nil
                name = resolved.description
            }
            let validation = registry.validationVocabulary(of: value, inherited: inheritedValidation, isRoot: false)
            return try compile(
                SchemaRegistry.Location(
                    value: value, parentBase: base, canonical: name, draft: childDraft, validation: validation))
        }
        if draft.refHidesSiblings, let value = object["$ref"]?.stringValue {
            // Before 2019-09 a `$ref` is the whole schema: every sibling keyword is ignored.
            node.keywords = [.ref(try compile(try registry.location(of: base.resolving(value))))]
            return
        }
        func number(_ key: String) throws(SchemaError) -> Double? {
            guard let value = object[key] else { return nil }
            guard let double = value.doubleValue else { throw SchemaError("\(canonical): \(key) must be a number") }
            return double
        }
        func limit(_ key: String) throws(SchemaError) -> SchemaLimit? {
            guard let value = object[key] else { return nil }
            guard case .number(let number) = value, let limit = SchemaLimit(number) else {
                if case .bool = value, key.hasPrefix("exclusive") {
                    throw SchemaError(
                        "\(canonical): \(key) must be a number (a boolean is draft-04's: say so with $schema or --default-draft 4)"
                    )
                }
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
        if draft >= .draft6, let value = object["const"] { keywords.append(.constant(value)) }
        if let value = object["enum"] {
            guard let list = value.arrayValue else { throw SchemaError("\(canonical): enum must be an array") }
            keywords.append(.enumeration(list))
        }
        if draft == .draft4 {
            // Draft 4: `exclusiveMinimum`/`exclusiveMaximum` are booleans that make the bound strict.
            let exclusiveMinimum = object["exclusiveMinimum"] == .bool(true)
            let exclusiveMaximum = object["exclusiveMaximum"] == .bool(true)
            if let value = try limit("minimum") { keywords.append(.minimum(value, exclusive: exclusiveMinimum)) }
            if let value = try limit("maximum") { keywords.append(.maximum(value, exclusive: exclusiveMaximum)) }
        } else {
            if let value = try limit("minimum") { keywords.append(.minimum(value, exclusive: false)) }
            if let value = try limit("exclusiveMinimum") { keywords.append(.minimum(value, exclusive: true)) }
            if let value = try limit("maximum") { keywords.append(.maximum(value, exclusive: false)) }
            if let value = try limit("exclusiveMaximum") { keywords.append(.maximum(value, exclusive: true)) }
        }
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
        if draft >= .draft2019, let value = object["dependentRequired"]?.objectValue {
            keywords.append(
                .dependentRequired(
                    value.map {
                        (PropertyName($0.0), ($0.1.arrayValue ?? []).compactMap(\.stringValue).map(PropertyName.init))
                    }))
        }
        // Draft 2019-09 split `dependencies`; later schemas written in the old way still use it,
        // so it is read in every draft.
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
        if draft == .draft2020, let list = try schemaList("prefixItems") {
            prefixCount = list.count
            keywords.append(.prefixItems(list))
        }
        if draft < .draft2020, object["items"]?.arrayValue != nil {
            // Before 2020-12 an array `items` is 2020-12's `prefixItems`, `additionalItems` its `items`.
            let list = try schemaList("items") ?? []
            keywords.append(.prefixItems(list))
            if let value = object["additionalItems"] {
                keywords.append(.items(try sub(value, "additionalItems"), after: list.count))
            }
        } else if let value = object["items"] {
            keywords.append(.items(try sub(value, "items"), after: prefixCount))
        }
        if draft >= .draft6, let value = object["contains"] {
            let minimum = draft >= .draft2019 ? try count("minContains") ?? 1 : 1
            let maximum = draft >= .draft2019 ? try count("maxContains") : nil
            keywords.append(.contains(try sub(value, "contains"), min: minimum, max: maximum))
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
        if draft >= .draft6, let value = object["propertyNames"] {
            keywords.append(.propertyNames(try sub(value, "propertyNames")))
        }
        if draft >= .draft2019, let map = try schemaMap("dependentSchemas") { keywords.append(.dependentSchemas(map)) }

        // In-place applicators.
        if let value = object["$ref"]?.stringValue {
            let target = try registry.location(of: base.resolving(value))
            keywords.append(.ref(try compile(target)))
        }
        if draft == .draft2019, let value = object["$recursiveRef"]?.stringValue {
            keywords.append(.recursiveRef(try compile(try registry.location(of: base.resolving(value)))))
        }
        if draft == .draft2020, let value = object["$dynamicRef"]?.stringValue {
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
        if draft >= .draft7, let value = object["if"] {
            let thenNode = try object["then"].map { (v) throws(SchemaError) in try sub(v, "then") }
            let elseNode = try object["else"].map { (v) throws(SchemaError) in try sub(v, "else") }
            keywords.append(.conditional(if: try sub(value, "if"), then: thenNode, else: elseNode))
        }

        // Last: they depend on what every keyword above evaluated.
        if draft >= .draft2019, let value = object["unevaluatedItems"] {
            keywords.append(.unevaluatedItems(try sub(value, "unevaluatedItems")))
            node.tracksEvaluation = true
        }
        if draft >= .draft2019, let value = object["unevaluatedProperties"] {
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
