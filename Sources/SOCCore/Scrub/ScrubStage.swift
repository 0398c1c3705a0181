#if canImport(Glibc)
import Glibc
#endif

/// soc-scrub's stage: runs the message rules over every message of a SOC chat and the
/// persona-name rules over the `name` of an SPB persona record. A record no rule changes is
/// kept byte-identical; a changed one is written with only the changed strings spliced in (or
/// the `messages` / `chat_parts` array rebuilt from the original bytes when messages are split
/// or dropped), so key order, spacing and number text stay as they were.
///
/// Without an audit log the runner decides records on two threads (each with its own compiled
/// rules); with one, use `sequential` so that the log is written in input order.
public final class ScrubStage: ParallelRecordStage {
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

    /// Engines of the workers merged into this stage (for the cache counters).
    private var workerEngines: [ScrubEngine] = []

    public func makeWorker() -> RecordStage {
        ScrubStage(engine: engine.copy(), audit: nil)
    }

    public func mergeWorker(_ worker: RecordStage) {
        guard let worker = worker as? ScrubStage else { return }
        for (rule, n) in worker.changes { changes[rule, default: 0] += n }
        droppedMessages += worker.droppedMessages
        droppedParts += worker.droppedParts
        workerEngines.append(worker.engine)
    }

    /// This stage behind a plain `RecordStage`, so that the runner keeps to one thread (the
    /// audit log is then written in input order).
    public var sequential: RecordStage { SequentialStage(self) }

    public func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict {
        let root = document.root
        guard document.kind(root) == .object else {
            return .reject(Diagnosis(code: .notAChat, path: "$", message: "record is \(document.kind(root).nameWithArticle), not a chat or persona object"))
        }
        if let parts = document.member(root, "chat_parts") {
            // ChatView's checks, done once while collecting each part's messages array.
            guard document.kind(parts) == .array else {
                return .reject(Diagnosis(code: .notAChat, path: "$.chat_parts", message: "record has no chat_parts array"))
            }
            messageArrays.removeAll(keepingCapacity: true)
            for (k, part) in document.elements(parts).enumerated() {
                guard let messages = document.member(part, "messages"), document.kind(messages) == .array else {
                    return .reject(Diagnosis(code: .notAChat, path: "$.chat_parts[\(k)].messages", message: "part has no messages array"))
                }
                messageArrays.append((part, messages))
            }
            return scrub(document, parts: parts, at: location)
        }
        if let name = document.member(root, "name"), document.kind(name) == .string {
            return scrubPersona(document, name: name, at: location)
        }
        return .reject(Diagnosis(code: .notAChat, path: "$", message: "record has neither chat_parts (SOC chat) nor a name (SPB persona)"))
    }

    // MARK: Chats

    /// The current chat's parts and their `messages` arrays (tape indices), reused across records.
    @exclusivity(unchecked) private var messageArrays: [(part: Int, messages: Int)] = []

    private func scrub(_ document: JSONDocument, parts: Int, at location: RecordLocation) -> Verdict {
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

        markCandidates(document)
        defer { clearCandidates() }
        // Scrub only the candidates; collect what changed, in document order.
        var changed: [(part: Int, message: Int, outcome: ScrubOutcome)] = []
        for span in spans where candidate[span.element] {
            let outcome = document.withStringBytes(span.element) { text in
                scrubber.scrub(text) { Self.personaNames(document) }
            }
            guard let outcome else { continue }
            changed.append((span.part, span.message, outcome))
            for change in outcome.changes {
                count(change, at: location, id: recordStyle().recordID, part: span.part, message: span.message)
            }
        }
        if changed.isEmpty { return .keep }

        let asciiOnly = recordStyle().asciiOnly
        var next = 0
        while next < changed.count {
            let p = changed[next].part
            var outcomes: [Int: ScrubOutcome] = [:]
            while next < changed.count && changed[next].part == p {
                outcomes[changed[next].message] = changed[next].outcome
                next += 1
            }
            let messages = messageArrays[p].messages
            if outcomes.values.allSatisfy({ $0.pieces.count == 1 }) {
                for (m, element) in document.elements(messages).enumerated() {
                    guard let outcome = outcomes[m] else { continue }
                    var bytes: [UInt8] = []
                    JSONSplice.appendString(outcome.pieces[0], asciiOnly: asciiOnly, to: &bytes)
                    partEdits[p, default: []].append(JSONEdit(range: document.span(element), replacement: bytes))
                }
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
                let change = ScrubChange(rule: BuiltInStep.dropEmptyPart, before: [], after: [])
                count(change, at: location, id: recordStyle().recordID, part: p, message: nil)
            } else {
                partEdits[p] = [JSONEdit(range: document.span(messages), replacement: bytes)]
            }
        }
        if partEdits.isEmpty && dropped.isEmpty { return .keep }
        if dropped.isEmpty { return .edit(partEdits.values.flatMap { $0 }) }

        // A part was dropped: rebuild `chat_parts` from the kept parts (with their own edits).
        let separator = JSONSplice.separator(in: document, array: parts)
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        var first = true
        for (p, part) in messageArrays.map(\.part).enumerated() where !dropped.contains(p) {
            if !first { bytes.append(contentsOf: separator) }
            first = false
            bytes.append(contentsOf: JSONSplice.apply(partEdits[p] ?? [], within: document.span(part), of: document.bytes))
        }
        bytes.append(UInt8(ascii: "]"))
        return .edit([JSONEdit(range: document.span(parts), replacement: bytes)])
    }

    // MARK: Candidates

    /// Per tape index: the string holds a byte some message rule needs (reset after each record).
    @exclusivity(unchecked) private var candidate: [Bool] = []
    @exclusivity(unchecked) private var candidateList: [Int] = []
    @exclusivity(unchecked) private var spans: [(start: Int, end: Int, element: Int, part: Int, message: Int)] = []
    private lazy var gateBytes: [UInt8]? = engine.messages.gateBytes

    /// Marks the messages worth running the rules on with one `memchr` walk per gate byte over
    /// the whole record, instead of several searches in every message.
    private func markCandidates(_ document: JSONDocument) {
        if candidate.count < document.nodes.count {
            candidate = Array(repeating: false, count: max(document.nodes.count, 2 * candidate.count))
        }
        spans.removeAll(keepingCapacity: true)
        for (p, (_, messages)) in messageArrays.enumerated() {
            for (m, element) in document.elements(messages).enumerated() where document.kind(element) == .string {
                let span = document.span(element)
                spans.append((span.lowerBound + 1, span.upperBound - 1, element, p, m))
                // Escaped text is checked after unescaping; untrimmed text needs the trim step.
                if document.hasEscapes(element) || UnicodeWhitespace.needsTrim(document.stringContent(element)) {
                    candidate[element] = true
                    candidateList.append(element)
                }
            }
        }
        guard let gateBytes else {
            for span in spans where !candidate[span.element] { candidate[span.element] = true; candidateList.append(span.element) }
            return
        }
        guard let first = spans.first, let last = spans.last, let base = document.bytes.baseAddress else { return }
        for byte in gateBytes {
            var k = 0
            var position = first.start
            while position < last.end, let hit = memchr(base + position, Int32(byte), last.end - position) {
                let offset = base.distance(to: UnsafeRawPointer(hit))
                while k < spans.count && spans[k].end <= offset { k += 1 }
                guard k < spans.count else { break }
                if spans[k].start <= offset {
                    if !candidate[spans[k].element] { candidate[spans[k].element] = true; candidateList.append(spans[k].element) }
                    position = spans[k].end
                } else {
                    position = spans[k].start
                }
            }
        }
    }

    private func clearCandidates() {
        for element in candidateList { candidate[element] = false }
        candidateList.removeAll(keepingCapacity: true)
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
            ("rule_cache", ScrubEngine.cacheStatistics([engine] + workerEngines)),
        ]
    }
}

/// Forwards to a stage while hiding its `ParallelRecordStage` conformance (one thread).
final class SequentialStage: RecordStage {
    let inner: RecordStage
    init(_ inner: RecordStage) { self.inner = inner }
    func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict { inner.process(document, at: location) }
    func finish(tally: Tally) throws { try inner.finish(tally: tally) }
    var reportExtras: [(String, JSONValue)] { inner.reportExtras }
    var additionalDiagnoses: [Diagnosis] { inner.additionalDiagnoses }
}
