/// soc-validate's stage: the schema (bundled per kind, or `--schema`), then the SOC checks,
/// then `duplicate_id` among the records accepted so far. Every problem is kept (for `--errors`);
/// the first is the record's reason, the others go with it (`.reject(first, also:)`). Records are
/// checked on worker threads; the id of a record that passed is a `UniqueKeyClaim` that the
/// primary stage confirms in input order, so only accepted records take an id, exactly as in one pass.
public final class ValidateStage: RecordStage {
    public struct Configuration {
        /// `--schema`: replaces the bundled schemas; without `kind`, records are any JSON.
        public var schema: JSONSchema?
        /// `--kind`: no detection.
        public var kind: RecordKind?
        /// `--layout`: how chats lay out their messages (which bundled chat schema and checks).
        public var layout: LayoutChoice
        /// `--skip`: codes not reported (a record whose only problems are skipped passes).
        public var skip: Set<ReasonCode>
        /// `--personas`.
        public var personas: PersonaBank?
        /// `--strict-format` for the bundled schemas.
        public var strictFormat: Bool

        public init(
            schema: JSONSchema? = nil, kind: RecordKind? = nil, skip: Set<ReasonCode> = [],
            personas: PersonaBank? = nil, strictFormat: Bool = false, layout: LayoutChoice = .auto
        ) {
            self.schema = schema
            self.kind = kind
            self.layout = layout
            self.skip = skip
            self.personas = personas
            self.strictFormat = strictFormat
        }
    }

    private let configuration: Configuration
    /// The bundled chat schemas, by `ChatLayout` (in `allCases` order), and the persona schema,
    /// each compiled when the first record needs it: the primary stage of a split run decides no
    /// record, and most inputs hold one layout. (Compiling all four in every stage took 11.3M of
    /// the 462.1M instructions of soc-validate --threads 1 on real20.jsonl, callgrind.)
    private var chatSchemas: [JSONSchema?] = [nil, nil, nil]
    private var personaSchemaStorage: JSONSchema?
    private let chatChecks: ChatChecks
    private var problems: [Diagnosis] = []
    /// The ids accepted so far, as 128-bit XXH3 hashes: at most 44.4 bytes per distinct id
    /// (`IDHashSet`), where a `Set<String>` took ~125. Two different ids share a hash with
    /// probability about n²/2¹²⁹ (10⁻²¹ for a billion ids); it would show as a duplicate_id.
    private let seenIDs = IDHashSet()

    /// A stage for `configuration`. The bundled schemas compile when first used (tests keep
    /// them compiling under both `strictFormat` settings); the error type is kept for callers.
    public init(_ configuration: Configuration) throws(SchemaError) {
        self.configuration = configuration
        chatChecks = ChatChecks(skip: configuration.skip, personas: configuration.personas)
        problems.reserveCapacity(16)
    }

    /// The bundled schema of chats laid out as `layout`.
    private func chatSchema(_ layout: ChatLayout) -> JSONSchema {
        let k = layout == .soc ? 0 : layout == .openai ? 1 : 2
        if let schema = chatSchemas[k] { return schema }
        do {
            let schema = try BundledSchemas.chat(layout, strictFormat: configuration.strictFormat)
            chatSchemas[k] = schema
            return schema
        } catch {
            preconditionFailure("bundled schemas no longer compile: \(error)")
        }
    }

    /// The bundled persona schema.
    private var personaSchema: JSONSchema {
        if let schema = personaSchemaStorage { return schema }
        do {
            let schema = try BundledSchemas.persona(strictFormat: configuration.strictFormat)
            personaSchemaStorage = schema
            return schema
        } catch {
            preconditionFailure("bundled schemas no longer compile: \(error)")
        }
    }

    /// Another stage with the same configuration for another thread: it compiles its own
    /// schemas (their regexes are not shared between threads); the persona bank is read-only.
    public func makeWorker() -> RecordStage? {
        var copy = configuration
        copy.schema = configuration.schema.map { schema in
            do { return try schema.recompiled() } catch {
                // It compiled moments ago from the same value and files.
                preconditionFailure("schema no longer compiles: \(error)")
            }
        }
        do { return try ValidateStage(copy) } catch {
            preconditionFailure("bundled schemas no longer compile: \(error)")
        }
    }

    /// Rejects a kept record whose id an earlier accepted record already took.
    public func confirm(_ claim: any OrderedClaim, at location: RecordLocation) -> Verdict {
        guard let claim = claim as? UniqueKeyClaim else { return .keep }
        var key = claim.key
        let hash = key.withUTF8 { XXH3.hash128(UnsafeRawBufferPointer($0)) }
        if seenIDs.insert(hash) { return .keep }
        return .reject(
            Diagnosis(
                code: .duplicateID, path: claim.path,
                message: "\(claim.key) was already taken by an earlier accepted record", recordID: claim.key))
    }

    public func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict {
        problems.removeAll(keepingCapacity: true)
        let kind: RecordKind?
        let schema: JSONSchema?
        var layout = ChatLayout.soc
        if let custom = configuration.schema {
            kind = configuration.kind
            schema = custom
            if kind == .soc { layout = configuration.layout.layout(of: document) }
        } else {
            kind = configuration.kind ?? RecordKind.detect(document, layout: configuration.layout)
            if kind == .soc { layout = configuration.layout.layout(of: document) }
            switch kind {
            case .soc: schema = chatSchema(layout)
            case .spb: schema = personaSchema
            case nil: schema = nil
            }
        }
        // A SOC chat's id is its chat_id; a flat chat's and a persona's, `id`.
        let idKey: StaticString = kind == .soc && layout == .soc ? "chat_id" : "id"
        let idIndex: Int? = kind == nil ? nil : document.member(document.root, idKey)
        let id = idIndex.flatMap { document.kind($0) == .string ? document.string($0) : nil }

        // The schema's verdict first: its pass also proves most objects free of repeated keys.
        let checked: JSONSchema? = kind == nil && configuration.schema == nil ? nil : schema
        let valid = checked?.isValid(document) ?? true
        // Readers disagree on a repeated key (the first or the last wins): never valid.
        if !configuration.skip.contains(.duplicateKey),
            let key = DuplicateKeyCheck.firstDuplicate(
                in: document, knownDistinct: { checked?.hasDistinctKeys($0) ?? false })
        {
            let name = document.string(key) ?? ""
            problems.append(
                Diagnosis(
                    code: .duplicateKey, path: DuplicateKeyCheck.path(to: key, in: document),
                    message: "key \(JSONString.quoted(name)) is given twice in one object"))
        }
        if kind == nil && configuration.schema == nil {
            if !configuration.skip.contains(.unknownKind) {
                let what =
                    document.kind(document.root) == .object
                    ? "an object with no chat key (\(Self.chatKeyList(configuration.layout))) and no persona key (traits, background, chatting_style, username)"
                    : document.kind(document.root).nameWithArticle
                problems.append(
                    Diagnosis(
                        code: .unknownKind, path: "$",
                        message: "record is \(what): neither a SOC chat nor an SPB persona (use --kind or --schema)"))
            }
        } else if let schema, !valid {
            for violation in schema.validate(document) {
                // Too deep to evaluate is the foundation's `too_deep`, not a schema keyword.
                let code =
                    violation.keyword == SchemaViolation.tooDeep
                    ? ReasonCode.tooDeep : ReasonCode.schema(violation.keyword)
                if !configuration.skip.contains(code) {
                    problems.append(Diagnosis(code: code, path: violation.path, message: violation.message))
                }
            }
        }
        if kind == .soc {
            chatChecks.check(document, layout: layout, into: &problems)
        }
        guard var first = problems.first else {
            // Only accepted records take an id, so a broken copy first does not sink the good one.
            if let id, !configuration.skip.contains(.duplicateID) {
                return .keep(claim: UniqueKeyClaim(key: id, path: "$.\(idKey)"))
            }
            return .keep
        }
        first.recordID = id
        let others = problems.dropFirst().map { problem in
            var problem = problem
            problem.recordID = id
            return problem
        }
        return .reject(first, also: others)
    }

    /// The chat keys of `layout`, as the unknown_kind message lists them.
    static func chatKeyList(_ layout: LayoutChoice) -> String {
        layout.chatKeys.map { "\($0)" }.joined(separator: ", ")
    }
}
