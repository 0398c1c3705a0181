/// A JSON Schema (drafts 2020-12, 2019-09, 7, 6 and 4, by `$schema`) compiled once and
/// evaluated over parsed lines.
///
///     let schema = try JSONSchema(file: "rules/soc-chat.schema.json")
///     let violations = schema.validate(document)   // [] when valid
///
/// References resolve inside the schema, to files next to it (relative `$ref`), and through
/// `refDirectories` (`--ref-dir PREFIX=DIR`); never over the network. Not thread-safe (it owns
/// its PCRE2 match data and evaluation stacks): give each thread its own.
public final class JSONSchema {
    /// How a schema is compiled.
    public struct Options: Sendable {
        /// Assert `format` for date-time, date, email, uuid, ipv4, ipv6 and uri (else annotation only).
        public var strictFormat: Bool
        /// URL prefixes read from local folders.
        public var refDirectories: [SchemaRefDirectory]
        /// Schema documents known in advance by URI (the bundled persona schema for the chat one).
        public var documents: [(uri: String, value: JSONValue)]
        /// The draft of a schema resource without `$schema` (`--default-draft`).
        public var defaultDraft: SchemaDraft

        public init(
            strictFormat: Bool = false, refDirectories: [SchemaRefDirectory] = [],
            documents: [(uri: String, value: JSONValue)] = [], defaultDraft: SchemaDraft = .draft2020
        ) {
            self.strictFormat = strictFormat
            self.refDirectories = refDirectories
            self.documents = documents
            self.defaultDraft = defaultDraft
        }
    }

    /// The base URI used for a schema given as a value without `$id`.
    public static let defaultBaseURI = "https://soc-tools.invalid/schema.json"

    /// Internal for tests that compare its yes/no and reporting passes.
    let evaluator: SchemaEvaluator
    private let source: (value: JSONValue, baseURI: String, options: Options)
    /// Number of compiled subschemas (for reports and tests).
    public let nodeCount: Int
    /// The draft the root schema is read in.
    public let draft: SchemaDraft

    /// Compiles `value`; `baseURI` is where it was retrieved from (its `$id` overrides it).
    public init(value: JSONValue, baseURI: String = JSONSchema.defaultBaseURI, options: Options = Options())
        throws(SchemaError)
    {
        source = (value, baseURI, options)
        let registry = SchemaRegistry(refDirectories: options.refDirectories, defaultDraft: options.defaultDraft)
        let base = SchemaURI(baseURI)
        for document in options.documents {
            try registry.add(document: document.value, uri: SchemaURI(document.uri))
        }
        try registry.add(document: value, uri: base)
        let compiler = SchemaCompiler(registry: registry, strictFormat: options.strictFormat)
        let draft = try registry.draft(of: value, inherited: options.defaultDraft, isRoot: true)
        self.draft = draft
        var rootURI = base.resolving(draft.id(of: value) ?? "")
        rootURI.fragment = nil
        let rootKey = SchemaRegistry.key(rootURI)
        let root = try compiler.compile(
            SchemaRegistry.Location(
                value: value, parentBase: base, canonical: rootKey, draft: draft,
                validation: registry.validationVocabulary(of: value, inherited: true, isRoot: true)))
        precondition(root == 0)
        let anchors = try compiler.compileDynamicAnchors()
        if let cycle = SchemaCycles.find(compiler.nodes, dynamicAnchors: anchors) {
            throw SchemaError(
                "a $ref cycle never descends into the instance (it would apply the same schema to the same value forever): \(cycle.joined(separator: " -> "))"
            )
        }
        evaluator = SchemaEvaluator(program: SchemaProgram(nodes: compiler.nodes, dynamicAnchors: anchors))
        nodeCount = compiler.nodes.count
    }

    /// The same schema compiled again: an evaluator of its own (for another thread).
    public func recompiled() throws(SchemaError) -> JSONSchema {
        try JSONSchema(value: source.value, baseURI: source.baseURI, options: source.options)
    }

    /// Reads and compiles the schema file at `path` (relative `$ref`s resolve next to it).
    public convenience init(file path: String, options: Options = Options()) throws(SchemaError) {
        let value = try SchemaFile.readJSON(path)
        try self.init(value: value, baseURI: SchemaFile.fileURI(path).description, options: options)
    }

    /// Compiles schema JSON text.
    public convenience init(text: String, baseURI: String = JSONSchema.defaultBaseURI, options: Options = Options())
        throws(SchemaError)
    {
        switch JSONValue.parse(Array(text.utf8), maxDepth: SchemaFile.maxDepth) {
        case .success(let value): try self.init(value: value, baseURI: baseURI, options: options)
        case .failure(let error): throw SchemaError("schema is not valid JSON: \(error.message)")
        }
    }

    /// Item comparisons `uniqueItems` has made so far (tests check that distinct items cost none).
    var uniqueItemsComparisons: Int { evaluator.uniqueItemsComparisons }

    /// True when the value at `index` (the root by default) is valid; stops at the first failure.
    /// A `pattern` PCRE2 cannot decide makes the value not valid (`validate` says why).
    public func isValid(_ document: JSONDocument, at index: Int = 0) -> Bool {
        evaluator.run(document, index, report: false) && evaluator.patternFailure == nil
    }

    /// True when the last `isValid` or `validate` found that the object at tape index `object`
    /// has no repeated key: a closed `properties` (with `additionalProperties: false`) matched
    /// each of its keys to a different name. False says nothing. soc-validate's duplicate-key
    /// check skips such objects (on SOC chats, all of them).
    func hasDistinctKeys(_ object: Int) -> Bool {
        evaluator.distinctKeys.contains(object)
    }

    /// Every violation of the value at `index` (empty when valid), each with a JSONPath.
    public func validate(_ document: JSONDocument, at index: Int = 0) -> [SchemaViolation] {
        if evaluator.run(document, index, report: false) && evaluator.patternFailure == nil { return [] }
        _ = evaluator.run(document, index, report: true)
        if let deepest = evaluator.exhaustedAt {
            // Whatever else the partial pass found, the record could not be evaluated.
            return [deepest]
        }
        // An undecided pattern makes every other verdict unsure (it may sit under `not`).
        if let failure = evaluator.patternFailure { return [failure] }
        if evaluator.violations.isEmpty {
            return [SchemaViolation(keyword: "schema", path: "$", message: "value does not match the schema")]
        }
        return evaluator.violations
    }
}
