/// soc-scrub's stage: runs the message rules over every message of a SOC chat and the
/// persona-name rules over the `name` of an SPB persona record. A record no rule changes is
/// kept byte-identical; a changed one is written with only the changed strings spliced in (or
/// the `messages` / `chat_parts` array rebuilt from the original bytes when messages are split
/// or dropped), so key order, spacing and number text stay as they were.
public final class ScrubStage: RecordStage {
    public let engine: ScrubEngine
    private let audit: ScrubAudit?
    /// Changes per rule id (built-in steps included).
    public private(set) var changes: [String: Int] = [:]
    /// Messages dropped because the rules left them empty.
    public private(set) var droppedMessages = 0
    /// Chat parts dropped because no message was left.
    public private(set) var droppedParts = 0

    /// A stage over `engine`; changes are logged to `audit` when given.
    public init(engine: ScrubEngine, audit: OutputSink? = nil) {
        self.engine = engine
        self.audit = audit.map(ScrubAudit.init)
    }

    public func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict {
        let root = document.root
        guard document.kind(root) == .object else {
            return .reject(Diagnosis(code: .notAChat, path: "$", message: "record is \(document.kind(root).nameWithArticle), not a chat or persona object"))
        }
        if document.member(root, "chat_parts") != nil {
            switch ChatView.of(document) {
            case .success(let chat): return scrub(chat, at: location)
            case .failure(let diagnosis): return .reject(diagnosis)
            }
        }
        if let name = document.member(root, "name"), document.kind(name) == .string {
            return scrubPersona(document, name: name, at: location)
        }
        return .reject(Diagnosis(code: .notAChat, path: "$", message: "record has neither chat_parts (SOC chat) nor a name (SPB persona)"))
    }

    // MARK: Chats

    private func scrub(_ chat: ChatView, at location: RecordLocation) -> Verdict {
        let document = chat.document
        let scrubber = engine.messages
        scrubber.beginRecord()
        var partEdits: [Int: [JSONEdit]] = [:]
        var dropped: [Int] = []
        var style: (asciiOnly: Bool, recordID: String?)?
        func recordStyle() -> (asciiOnly: Bool, recordID: String?) {
            if let style { return style }
            let made = (JSONSplice.isASCII(document.bytes), document.member(document.root, "chat_id").flatMap { document.string($0) })
            style = made
            return made
        }

        for (p, part) in chat.partIndices.enumerated() {
            let messages = chat.messages(ofPart: part)
            var outcomes: [Int: ScrubOutcome] = [:]
            for (m, element) in document.elements(messages).enumerated() where document.kind(element) == .string {
                let outcome = document.withStringBytes(element) { text in
                    scrubber.scrub(text) { Self.personaNames(document) }
                }
                guard let outcome else { continue }
                outcomes[m] = outcome
                for change in outcome.changes {
                    count(change, at: location, id: recordStyle().recordID, part: p, message: m)
                }
            }
            guard !outcomes.isEmpty else { continue }
            let asciiOnly = recordStyle().asciiOnly
            if outcomes.values.allSatisfy({ $0.pieces.count == 1 }) {
                var edits: [JSONEdit] = []
                for (m, element) in document.elements(messages).enumerated() {
                    guard let outcome = outcomes[m] else { continue }
                    var bytes: [UInt8] = []
                    JSONSplice.appendString(outcome.pieces[0], asciiOnly: asciiOnly, to: &bytes)
                    edits.append(JSONEdit(range: document.span(element), replacement: bytes))
                }
                partEdits[p] = edits
                continue
            }
            // Messages were split or dropped: rebuild this `messages` array from the original bytes.
            let separator = JSONSplice.separator(in: document, array: messages)
            var bytes: [UInt8] = [UInt8(ascii: "[")]
            var written = 0
            for (m, element) in document.elements(messages).enumerated() {
                let pieces: [[UInt8]]? = outcomes[m]?.pieces
                if pieces?.isEmpty == true { continue }
                if written > 0 { bytes.append(contentsOf: separator) }
                if let pieces {
                    for (k, piece) in pieces.enumerated() {
                        if k > 0 { bytes.append(contentsOf: separator) }
                        JSONSplice.appendString(piece, asciiOnly: asciiOnly, to: &bytes)
                    }
                    written += pieces.count
                } else {
                    bytes.append(contentsOf: document.raw(element))
                    written += 1
                }
            }
            bytes.append(UInt8(ascii: "]"))
            if written == 0 {
                dropped.append(p)
                droppedParts += 1
                let change = ScrubChange(rule: BuiltInStep.dropEmptyPart, before: "", after: [])
                count(change, at: location, id: recordStyle().recordID, part: p, message: nil)
            } else {
                partEdits[p] = [JSONEdit(range: document.span(messages), replacement: bytes)]
            }
        }
        if partEdits.isEmpty && dropped.isEmpty { return .keep }
        if dropped.isEmpty { return .edit(partEdits.values.flatMap { $0 }) }

        // A part was dropped: rebuild `chat_parts` from the kept parts (with their own edits).
        let separator = JSONSplice.separator(in: document, array: chat.parts)
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        var first = true
        for (p, part) in chat.partIndices.enumerated() where !dropped.contains(p) {
            if !first { bytes.append(contentsOf: separator) }
            first = false
            bytes.append(contentsOf: JSONSplice.apply(partEdits[p] ?? [], within: document.span(part), of: document.bytes))
        }
        bytes.append(UInt8(ascii: "]"))
        return .edit([JSONEdit(range: document.span(chat.parts), replacement: bytes)])
    }

    /// The names, first names and usernames of the chat's two personas.
    static func personaNames(_ document: JSONDocument) -> PersonaNames {
        var personas: [(name: String?, username: String?)] = []
        if let experience = document.member(document.root, "experience") {
            for key in ["persona1", "persona2"] {
                guard let persona = document.member(experience, key) else { continue }
                personas.append((document.member(persona, "name").flatMap { document.string($0) },
                                 document.member(persona, "username").flatMap { document.string($0) }))
            }
        }
        return PersonaNames(personas)
    }

    // MARK: Personas

    private func scrubPersona(_ document: JSONDocument, name: Int, at location: RecordLocation) -> Verdict {
        let scrubber = engine.personaNames
        scrubber.beginRecord()
        let outcome = document.withStringBytes(name) { text in
            scrubber.scrub(text) {
                PersonaNames([(document.string(name), document.member(document.root, "username").flatMap { document.string($0) })])
            }
        }
        guard let outcome else { return .keep }
        // A name is never emptied (or split): if the rules would leave nothing, it stays.
        let joined = Array(outcome.pieces.joined(separator: [UInt8(ascii: " ")]))
        guard !joined.isEmpty else { return .keep }
        let id = document.member(document.root, "id").flatMap { document.string($0) }
        for change in outcome.changes where change.rule != BuiltInStep.dropEmptyMessage {
            count(change, at: location, id: id, part: nil, message: nil)
        }
        var bytes: [UInt8] = []
        JSONSplice.appendString(joined, asciiOnly: JSONSplice.isASCII(document.bytes), to: &bytes)
        return .edit([JSONEdit(range: document.span(name), replacement: bytes)])
    }

    // MARK: Accounting

    private func count(_ change: ScrubChange, at location: RecordLocation, id: String?, part: Int?, message: Int?) {
        changes[change.rule, default: 0] += 1
        if change.rule == BuiltInStep.dropEmptyMessage { droppedMessages += 1 }
        audit?.write(change, at: location, id: id, part: part, message: message)
    }

    public func finish(tally: Tally) throws {
        try audit?.commit()
    }

    /// `changes` per rule id (in rule order, then the built-in steps), `dropped_messages`,
    /// `dropped_parts`, the rules in effect and the per-persona pattern cache's counters.
    public var reportExtras: [(String, JSONValue)] {
        let order = engine.ruleIDs + [BuiltInStep.trim, BuiltInStep.dropEmptyMessage, BuiltInStep.dropEmptyPart]
        let counted = order.filter { changes[$0] != nil }.map { ($0, JSONValue.number(JSONNumber(changes[$0]!))) }
        return [
            ("changes", .object(counted)),
            ("dropped_messages", .number(JSONNumber(droppedMessages))),
            ("dropped_parts", .number(JSONNumber(droppedParts))),
            ("rules", .array(engine.ruleIDs.map { .string($0) })),
            ("rule_cache", engine.cacheStatistics),
        ]
    }
}
