/// The compiled schema flattened for evaluation: nodes and keywords are plain values in
/// contiguous memory, children are ranges of one integer pool, and the few reference-counted
/// things (regexes, property tables, constants) sit in side tables named by index.
///
/// Measured on SOC chats, walking `SchemaNode` objects with array-carrying keyword enums spent a
/// fifth of the run retaining and releasing; these flat values copy for free.
final class SchemaProgram {
    struct Node {
        var first: Int32
        var count: Int32
        /// The keywords a pass that only wants a yes/no runs: `first..<first+count`, or a fused
        /// copy (see `Keyword.shape`) when the node's object keywords could be fused.
        var fastFirst: Int32
        var fastCount: Int32
        var resource: Int32
        /// -1 for object schemas, 0 / 1 for `false` / `true`.
        var constant: Int8
        var tracksEvaluation: Bool
        /// Non-empty when `type` is the node's only keyword.
        var typeOnly: SchemaTypeSet
        /// True when a yes/no pass over the node's keywords evaluates no subschema beyond
        /// `true`, `false` and bare `type`s (`{"type": "string", "pattern": ...}`, `{"items":
        /// {"type": "string"}}`): nothing below it reads the depth, the dynamic scope or the stack.
        var isLeaf: Bool
        /// The index in `quickChecks` of the leaf's yes/no keywords in quick form, or -1.
        var quick: Int32
        /// The index in `quickObjects` of the node's yes/no keywords in quick form, or -1.
        var quickObject: Int32 = -1
    }

    /// A range of `pool`.
    struct List {
        var start: Int32
        var count: Int32
    }

    enum Keyword {
        case type(SchemaTypeSet)
        case enumeration(Int32)
        case constant(Int32)
        /// `limits[limit]`; `fast` is its value when it is a short integer, else `Keyword.noFast`.
        case minimum(limit: Int32, fast: Int64, exclusive: Bool)
        case maximum(limit: Int32, fast: Int64, exclusive: Bool)
        case multipleOf(limit: Int32, fast: Int64)
        case minLength(Int)
        case maxLength(Int)
        case pattern(Int32)
        case format(SchemaFormat)
        case minItems(Int)
        case maxItems(Int)
        case uniqueItems
        case prefixItems(List)
        case items(Int32, after: Int32)
        case contains(Int32, min: Int32, max: Int32)
        case minProperties(Int)
        case maxProperties(Int)
        case required(Int32)
        case properties(Int32, List)
        case patternProperties(regexes: List, schemas: List)
        case additionalProperties(Int32, known: Int32, patterns: List)
        case propertyNames(Int32)
        case dependentRequired(Int32)
        case dependentSchemas(Int32, List)
        case allOf(List)
        case anyOf(List)
        case oneOf(List)
        case not(Int32)
        case conditional(if: Int32, then: Int32, else: Int32)
        case ref(Int32)
        case dynamicRef(Int32, anchor: Int32)
        case recursiveRef(Int32)
        case unevaluatedItems(Int32)
        case unevaluatedProperties(Int32)
        /// `properties` + `required` (names among the properties) + `additionalProperties: false`
        /// in one pass over the members, one name lookup each. Yes/no passes only: reporting
        /// passes run the separate keywords, so messages and their order do not change.
        case shape(Int32, List, required: UInt64, closed: Bool)

        /// `fast` of a limit that is not a short integer.
        static let noFast = Int64.min

        /// True for the keywords `SchemaEvaluator.applyAssertion` handles: they look at the
        /// value alone and evaluate no subschema.
        var isAssertion: Bool {
            switch self {
            case .type, .enumeration, .constant, .minimum, .maximum, .multipleOf, .minLength, .maxLength, .pattern,
                .format, .minItems, .maxItems, .uniqueItems, .minProperties, .maxProperties, .required,
                .dependentRequired:
                return true
            default:
                return false
            }
        }
    }

    let nodes: UnsafeMutableBufferPointer<Node>
    let keywords: UnsafeMutableBufferPointer<Keyword>
    let pool: UnsafeMutableBufferPointer<Int32>
    let values: [[JSONValue]]
    /// The numbers of `minimum`, `maximum` and `multipleOf` keywords.
    let limits: [SchemaLimit]
    let regexes: [PCRE2Regex]
    /// Per regex: the same pattern as a `SimplePattern` when it has that form.
    let simplePatterns: [SimplePattern?]
    /// Per node with `quick` >= 0: its leaf keywords in quick form.
    let quickChecks: UnsafeMutableBufferPointer<SchemaQuickCheck>
    /// Per node with `quickObject` >= 0: its `type` and `shape` in quick form.
    let quickObjects: UnsafeMutableBufferPointer<SchemaQuickObject>
    /// The property schemas of `quickObjects`, as `SchemaQuickObject.children` says.
    let quickObjectChildren: UnsafeMutableBufferPointer<Int32>
    /// `simplePatterns` unretained, for the evaluator's hot path (they live as long as the program).
    let simpleMatchers: UnsafeMutableBufferPointer<Unmanaged<SimplePattern>?>
    let tables: [PropertyTable]
    let dependencies: [[(PropertyName, [PropertyName])]]
    let anchorNames: [String]
    /// Per resource: dynamic anchor name → node.
    let dynamicAnchors: [[String: Int]]

    init(nodes source: [SchemaNode], dynamicAnchors: [[String: Int]]) {
        var flatNodes: [Node] = []
        var flatKeywords: [Keyword] = []
        var pool: [Int32] = []
        var values: [[JSONValue]] = []
        var limits: [SchemaLimit] = []
        var regexes: [PCRE2Regex] = []
        var tables: [PropertyTable] = []
        var dependencies: [[(PropertyName, [PropertyName])]] = []
        var anchorNames: [String] = []

        func list(_ items: [Int]) -> List {
            let start = Int32(pool.count)
            pool.append(contentsOf: items.map { Int32($0) })
            return List(start: start, count: Int32(items.count))
        }
        func regexList(_ items: [PCRE2Regex]) -> List {
            let start = regexes.count
            regexes.append(contentsOf: items)
            return list(Array(start..<regexes.count))
        }
        func limit(_ limit: SchemaLimit) -> (Int32, Int64) {
            limits.append(limit)
            return (Int32(limits.count - 1), limit.integer ?? Keyword.noFast)
        }
        func table(_ table: PropertyTable) -> Int32 {
            tables.append(table)
            return Int32(tables.count - 1)
        }

        for node in source {
            let first = Int32(flatKeywords.count)
            for keyword in node.keywords {
                let flat: Keyword
                switch keyword {
                case .type(let set): flat = .type(set)
                case .enumeration(let list):
                    values.append(list)
                    flat = .enumeration(Int32(values.count - 1))
                case .constant(let value):
                    values.append([value])
                    flat = .constant(Int32(values.count - 1))
                case .minimum(let value, let exclusive):
                    let (k, fast) = limit(value)
                    flat = .minimum(limit: k, fast: fast, exclusive: exclusive)
                case .maximum(let value, let exclusive):
                    let (k, fast) = limit(value)
                    flat = .maximum(limit: k, fast: fast, exclusive: exclusive)
                case .multipleOf(let value):
                    let (k, fast) = limit(value)
                    flat = .multipleOf(limit: k, fast: fast)
                case .minLength(let n): flat = .minLength(n)
                case .maxLength(let n): flat = .maxLength(n)
                case .pattern(let regex):
                    regexes.append(regex)
                    flat = .pattern(Int32(regexes.count - 1))
                case .format(let format): flat = .format(format)
                case .minItems(let n): flat = .minItems(n)
                case .maxItems(let n): flat = .maxItems(n)
                case .uniqueItems: flat = .uniqueItems
                case .prefixItems(let schemas): flat = .prefixItems(list(schemas))
                case .items(let schema, let after): flat = .items(Int32(schema), after: Int32(after))
                case .contains(let schema, let minimum, let maximum):
                    // Counts beyond Int32 are reached by no array (a line is under 2 GiB), so
                    // clamping keeps every verdict (a fuzzed maxContains of 9e16 trapped here).
                    flat = .contains(Int32(schema), min: Int32(clamping: minimum), max: Int32(clamping: maximum ?? -1))
                case .minProperties(let n): flat = .minProperties(n)
                case .maxProperties(let n): flat = .maxProperties(n)
                case .required(let names): flat = .required(table(names))
                case .properties(let names, let schemas): flat = .properties(table(names), list(schemas))
                case .patternProperties(let pairs):
                    flat = .patternProperties(regexes: regexList(pairs.map(\.0)), schemas: list(pairs.map(\.1)))
                case .additionalProperties(let schema, let known, let patterns):
                    flat = .additionalProperties(Int32(schema), known: table(known), patterns: regexList(patterns))
                case .propertyNames(let schema): flat = .propertyNames(Int32(schema))
                case .dependentRequired(let rules):
                    dependencies.append(rules)
                    flat = .dependentRequired(Int32(dependencies.count - 1))
                case .dependentSchemas(let rules):
                    flat = .dependentSchemas(table(PropertyTable(rules.map(\.0.name))), list(rules.map(\.1)))
                case .allOf(let schemas): flat = .allOf(list(schemas))
                case .anyOf(let schemas): flat = .anyOf(list(schemas))
                case .oneOf(let schemas): flat = .oneOf(list(schemas))
                case .not(let schema): flat = .not(Int32(schema))
                case .conditional(let condition, let then, let otherwise):
                    flat = .conditional(if: Int32(condition), then: Int32(then ?? -1), else: Int32(otherwise ?? -1))
                case .ref(let target): flat = .ref(Int32(target))
                case .dynamicRef(let target, let anchor):
                    var index: Int32 = -1
                    if let anchor {
                        anchorNames.append(anchor)
                        index = Int32(anchorNames.count - 1)
                    }
                    flat = .dynamicRef(Int32(target), anchor: index)
                case .recursiveRef(let target): flat = .recursiveRef(Int32(target))
                case .unevaluatedItems(let schema): flat = .unevaluatedItems(Int32(schema))
                case .unevaluatedProperties(let schema): flat = .unevaluatedProperties(Int32(schema))
                }
                flatKeywords.append(flat)
            }
            var fastFirst = first
            var fastCount = Int32(node.keywords.count)
            if let fused = Self.fuse(
                Array(flatKeywords[Int(first)...]), tables: tables, isFalse: { source[Int($0)].constant == false })
            {
                fastFirst = Int32(flatKeywords.count)
                fastCount = Int32(fused.count)
                flatKeywords.append(contentsOf: fused)
            }
            // `items` of `true`, `false` or a bare type evaluates its items without going deeper.
            let isLeaf = flatKeywords[Int(fastFirst)..<Int(fastFirst + fastCount)].allSatisfy { keyword in
                if keyword.isAssertion { return true }
                guard case .items(let schema, _) = keyword else { return false }
                return source[Int(schema)].constant != nil || source[Int(schema)].typeOnly != nil
            }
            flatNodes.append(
                Node(
                    first: first, count: Int32(node.keywords.count), fastFirst: fastFirst, fastCount: fastCount,
                    resource: Int32(node.resource),
                    constant: node.constant.map { $0 ? 1 : 0 } ?? -1, tracksEvaluation: node.tracksEvaluation,
                    typeOnly: node.typeOnly ?? SchemaTypeSet(), isLeaf: isLeaf, quick: -1
                ))
        }
        keywords = .allocate(capacity: max(flatKeywords.count, 1))
        _ = keywords.initialize(from: flatKeywords)
        self.pool = .allocate(capacity: max(pool.count, 1))
        _ = self.pool.initialize(from: pool)
        self.values = values
        self.limits = limits
        self.regexes = regexes
        let simplePatterns = regexes.map { SimplePattern.compile($0.pattern) }
        var quickChecks: [SchemaQuickCheck] = []
        // Not for `true` / `false` (no keywords, so an empty quick check would pass everything).
        for n in flatNodes.indices where flatNodes[n].isLeaf && flatNodes[n].constant < 0 {
            let node = flatNodes[n]
            guard
                let quick = SchemaQuickCheck.compile(
                    flatKeywords[Int(node.fastFirst)..<Int(node.fastFirst + node.fastCount)],
                    simple: { simplePatterns[Int($0)] != nil }, bareType: { source[Int($0)].typeOnly })
            else { continue }
            flatNodes[n].quick = Int32(quickChecks.count)
            quickChecks.append(quick)
        }
        var quickObjects: [SchemaQuickObject] = []
        var quickObjectChildren: [Int32] = []
        // Nodes that collect evaluated members never take a yes/no pass without them.
        for n in flatNodes.indices where flatNodes[n].quick < 0 && flatNodes[n].constant < 0 {
            let node = flatNodes[n]
            guard !node.tracksEvaluation,
                let object = SchemaQuickObject.compile(
                    flatKeywords[Int(node.fastFirst)..<Int(node.fastFirst + node.fastCount)], tables: tables,
                    items: { list in Array(pool[Int(list.start)..<Int(list.start + list.count)]) },
                    code: { schema in
                        let child = flatNodes[Int(schema)]
                        if child.constant >= 0 {
                            return child.constant == 1 ? SchemaQuickObject.alwaysValid : SchemaQuickObject.neverValid
                        }
                        if child.quick >= 0 { return child.quick }
                        let quickLeaf = { (n: Int32) -> Int32? in
                            let leaf = flatNodes[Int(n)]
                            return leaf.constant < 0 && leaf.quick >= 0 ? leaf.quick : nil
                        }
                        let keywords = flatKeywords[Int(child.fastFirst)..<Int(child.fastFirst + child.fastCount)]
                        // `{"$ref": ...}` to a quick leaf, and an array whose `items` is one: the
                        // leaf is checked a level deeper (`SchemaQuickObject.fits`).
                        if keywords.count == 1, case .ref(let target) = keywords[keywords.startIndex] {
                            return quickLeaf(target)
                        }
                        guard
                            let deep = SchemaQuickCheck.compile(
                                keywords, simple: { simplePatterns[Int($0)] != nil },
                                bareType: { source[Int($0)].typeOnly }, itemQuick: quickLeaf)
                        else { return nil }
                        quickChecks.append(deep)
                        return Int32(quickChecks.count - 1)
                    }, codes: &quickObjectChildren)
            else { continue }
            flatNodes[n].quickObject = Int32(quickObjects.count)
            quickObjects.append(object)
        }
        self.quickObjects = .allocate(capacity: max(quickObjects.count, 1))
        _ = self.quickObjects.initialize(from: quickObjects)
        self.quickObjectChildren = .allocate(capacity: max(quickObjectChildren.count, 1))
        _ = self.quickObjectChildren.initialize(from: quickObjectChildren)
        self.simplePatterns = simplePatterns
        self.quickChecks = .allocate(capacity: max(quickChecks.count, 1))
        _ = self.quickChecks.initialize(from: quickChecks)
        nodes = .allocate(capacity: flatNodes.count)
        _ = nodes.initialize(from: flatNodes)
        simpleMatchers = .allocate(capacity: max(simplePatterns.count, 1))
        _ = simpleMatchers.initialize(from: simplePatterns.map { $0.map { Unmanaged.passUnretained($0) } })
        self.tables = tables
        self.dependencies = dependencies
        self.anchorNames = anchorNames
        self.dynamicAnchors = dynamicAnchors
    }

    /// The node's keywords with `properties`, `required` and `additionalProperties: false` fused
    /// into one `shape`, or nil when they are not all there in fusable form.
    static func fuse(_ keywords: [Keyword], tables: [PropertyTable], isFalse: (Int32) -> Bool) -> [Keyword]? {
        var propertiesAt: Int?
        var requiredAt: Int?
        var additionalAt: Int?
        for (k, keyword) in keywords.enumerated() {
            switch keyword {
            case .properties: propertiesAt = k
            case .required: requiredAt = k
            case .additionalProperties: additionalAt = k
            case .patternProperties, .unevaluatedProperties: return nil
            default: break
            }
        }
        guard let propertiesAt, case .properties(let t, let list) = keywords[propertiesAt] else { return nil }
        let table = tables[Int(t)]
        guard table.count <= 64 else { return nil }
        var closed = false
        if let additionalAt {
            // Only `additionalProperties: false` against the same names fuses (the known table
            // is built from the same list, so equal names mean the same order).
            guard case .additionalProperties(let schema, let known, let patterns) = keywords[additionalAt],
                patterns.count == 0, isFalse(schema),
                tables[Int(known)].names == table.names
            else { return nil }
            closed = true
        }
        var required: UInt64 = 0
        if let requiredAt {
            guard case .required(let r) = keywords[requiredAt] else { return nil }
            for name in tables[Int(r)].names {
                guard let k = table.names.firstIndex(of: name) else { return nil }
                required |= 1 << UInt64(k)
            }
        }
        var fused: [Keyword] = []
        for (k, keyword) in keywords.enumerated() where k != requiredAt && k != additionalAt {
            fused.append(k == propertiesAt ? .shape(t, list, required: required, closed: closed) : keyword)
        }
        return fused
    }

    deinit {
        nodes.deallocate()
        keywords.deallocate()
        pool.deallocate()
        simpleMatchers.deallocate()
        quickChecks.deallocate()
        quickObjects.deallocate()
        quickObjectChildren.deallocate()
    }

    /// The node indices (or regex indices) of a list.
    func items(_ list: List) -> UnsafeMutableBufferPointer<Int32> {
        UnsafeMutableBufferPointer(rebasing: pool[Int(list.start)..<Int(list.start + list.count)])
    }
}
