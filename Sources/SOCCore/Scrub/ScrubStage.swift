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
    /// Chat parts merged into the part before them (same sender, a dropped part between).
    public private(set) var mergedParts = 0

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
        mergedParts += worker.mergedParts
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
        markCandidates(document)
        // Scrub only the candidates; collect what changed, in document order.
        var changed: [MessageChange] = []
        for span in candidates {
            do throws(RuleMatchFailure) {
                if let change = try scrubMessage(document, span.element, scrubber) {
                    changed.append(MessageChange(part: span.part, message: span.message, outcome: change.outcome, escapes: change.escapes))
                }
            } catch {
                return .reject(Self.limitDiagnosis(error, path: "$.chat_parts[\(span.part)].messages[\(span.message)]"))
            }
        }
        if changed.isEmpty { return .keep }

        var rebuild = ChatRebuild(document: document, parts: messageArrays, asciiOnly: JSONSplice.isASCII(document.bytes))
        switch rebuild.build(changed, chatParts: parts) {
        case .emptied(let left):
            return .reject(Diagnosis(code: .emptiedByScrub, path: "$.chat_parts", message: "scrubbing leaves \(left) part\(left == 1 ? "" : "s") (a chat needs at least 2); the record is not written"))
        case .edits(let edits):
            // Counted only now: a rejected record's changes are not made.
            let id = document.member(document.root, "chat_id").flatMap { document.string($0) }
            for change in changed {
                for step in change.outcome.changes {
                    count(step, at: location, id: id, part: change.part, message: change.message)
                }
            }
            for step in rebuild.steps {
                count(step.change, at: location, id: id, part: step.part, message: nil)
            }
            return edits.isEmpty ? .keep : .edit(edits)
        }
    }

    /// The rules' outcome for one message string (nil: unchanged), with the lone-surrogate
    /// escapes its text was read with. A message whose lone surrogates cannot be kept is left
    /// as it is.
    private func scrubMessage(_ document: JSONDocument, _ element: Int, _ scrubber: TextScrubber) throws(RuleMatchFailure) -> (outcome: ScrubOutcome, escapes: [[UInt8]])? {
        let names = { Self.personaNames(document) }
        guard document.hasEscapes(element) else {
            return try scrubber.scrub(document.stringContent(element), names: names).map { ($0, []) }
        }
        guard let decoded = EscapedText.decode(document.stringContent(element)),
              let outcome = try scrubber.scrub(decoded.text, names: names) else { return nil }
        if !decoded.escapes.isEmpty && EscapedText.pairsUp(outcome.pieces, escapes: decoded.escapes) { return nil }
        return (outcome, decoded.escapes)
    }

    /// The rejection of a record a rule could not finish on.
    static func limitDiagnosis(_ failure: RuleMatchFailure, path: String) -> Diagnosis {
        Diagnosis(code: .regexLimit, path: path, message: "rule '\(failure.rule)' could not finish on this text (PCRE2: \(failure.error.message)); the record is not written rather than passed unchecked")
    }

    // MARK: Candidates

    /// The current record's messages worth running the rules on, in document order.
    @exclusivity(unchecked) private var candidates: [(element: Int, part: Int, message: Int)] = []
    private lazy var gateBytes: [UInt8]? = engine.messages.gateBytes

    /// Finds the messages worth running the rules on in one pass: those holding a byte some rule
    /// needs (each gate byte is searched with `memchr` from message to message, so a search
    /// spans many messages at once), escaped ones (checked after unescaping) and untrimmed ones.
    private func markCandidates(_ document: JSONDocument) {
        candidates.removeAll(keepingCapacity: true)
        guard let base = document.bytes.baseAddress else { return }
        let gates = gateBytes ?? []
        let checksAll = gateBytes == nil
        // Offset of the next occurrence of each gate byte at or after where it was last searched.
        var next = (Int.min, Int.min, Int.min, Int.min)
        let end = document.bytes.count
        for (p, (_, messages)) in messageArrays.enumerated() {
            for (m, element) in document.elements(messages).enumerated() where document.kind(element) == .string {
                let span = document.span(element)
                let start = span.lowerBound + 1, stop = span.upperBound - 1
                var wanted = checksAll || document.hasEscapes(element)
                    || UnicodeWhitespace.needsTrim(UnsafeRawBufferPointer(rebasing: document.bytes[start..<stop]))
                var g = 0
                while !wanted && g < gates.count {
                    var hit = Self.slot(next, g)
                    if hit < start {
                        hit = memchr(base + start, Int32(gates[g]), end - start).map { base.distance(to: UnsafeRawPointer($0)) } ?? Int.max
                        Self.set(&next, g, hit)
                    }
                    wanted = hit < stop
                    g += 1
                }
                if wanted { candidates.append((element, p, m)) }
            }
        }
    }

    @inline(__always)
    private static func slot(_ t: (Int, Int, Int, Int), _ k: Int) -> Int {
        switch k { case 0: return t.0; case 1: return t.1; case 2: return t.2; default: return t.3 }
    }

    @inline(__always)
    private static func set(_ t: inout (Int, Int, Int, Int), _ k: Int, _ value: Int) {
        switch k { case 0: t.0 = value; case 1: t.1 = value; case 2: t.2 = value; default: t.3 = value }
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
        let outcome: ScrubOutcome?
        do throws(RuleMatchFailure) {
            let text = document.hasEscapes(name) ? JSONString.unescape(document.stringContent(name)) : Array(document.stringContent(name))
            outcome = try scrubber.scrub(text) {
                PersonaNames([(document.string(name), document.member(document.root, "username").flatMap { document.string($0) })])
            }
        } catch {
            return .reject(Self.limitDiagnosis(error, path: "$.name"))
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
        if change.rule == BuiltInStep.dropEmptyPart { droppedParts += 1 }
        if change.rule == BuiltInStep.mergeParts { mergedParts += 1 }
        audit?.write(change, at: location, id: id, part: part, message: message)
    }

    public func finish(tally: Tally) throws {
        try audit?.commit()
    }

    /// `changes` per rule id (in rule order, then the built-in steps), `dropped_messages`,
    /// `dropped_parts`, `merged_parts` and the rules in effect: the same for any number of
    /// threads (compilation counts and times, which are not, go to `timings`).
    public var reportExtras: [(String, JSONValue)] {
        let order = engine.ruleIDs + [BuiltInStep.trim, BuiltInStep.dropEmptyMessage, BuiltInStep.dropEmptyPart, BuiltInStep.mergeParts]
        let counted = order.filter { changes[$0] != nil }.map { ($0, JSONValue.number(JSONNumber(changes[$0]!))) }
        return [
            ("changes", .object(counted)),
            ("dropped_messages", .number(JSONNumber(droppedMessages))),
            ("dropped_parts", .number(JSONNumber(droppedParts))),
            ("merged_parts", .number(JSONNumber(mergedParts))),
            ("rules", .array(engine.ruleIDs.map { .string($0) })),
        ]
    }

    /// The rule compilations of this run over every thread's engine (for `--timings`): they
    /// depend on how records were shared between threads, so they stay out of the report.
    public var compileStatistics: ScrubEngine.CompileStatistics {
        ScrubEngine.compileStatistics([engine] + workerEngines)
    }
}
