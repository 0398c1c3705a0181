#if canImport(Glibc)
    import Glibc
#endif

/// soc-scrub's stage: runs the message rules over every message of a SOC chat and the
/// persona-name rules over the `name` of an SPB persona record. A record no rule changes is
/// kept byte-identical; a changed one is written with only the changed strings spliced in (or
/// the `messages` / `chat_parts` array rebuilt from the original bytes when messages are split
/// or dropped), so key order, spacing and number text stay as they were.
///
/// Records are decided on worker threads, each with its own compiled rules; a worker gathers
/// each work unit's change counts and audit lines (`ScrubUnit`) and the primary stage takes them
/// in input order, so the counts and the `--audit` log are the same for any thread count.
public final class ScrubStage: RecordStage {
    public let engine: ScrubEngine
    /// The `--audit` log, written by the primary stage in input order (`absorb`).
    private let audit: ScrubAudit?
    /// Whether changes are logged (true on the primary and its workers when there is an audit).
    private let logsChanges: Bool
    /// What the current work unit changed so far (on the stage that decides it).
    // @exclusivity(unchecked): counted at every change (measured with PersonaMatcher's: 42M of
    // 3,041M instructions);
    // each worker owns its stage.
    @exclusivity(unchecked) private var unit = ScrubUnit()
    /// What the units taken in so far changed (on the primary).
    private var absorbed = ScrubUnit()
    /// The id of each change step (`ScrubChange.step`).
    private let stepIDs: [String]

    /// Changes per rule id (built-in steps included).
    public var changes: [String: Int] {
        var byID: [String: Int] = [:]
        for (step, n) in absorbed.adding(unit).counts.enumerated() where n > 0 { byID[stepIDs[step], default: 0] += n }
        return byID
    }
    /// Changes counted under the built-in step id `id` (a rule may have the same id).
    private func count(of id: String) -> Int {
        changes[id] ?? 0
    }
    /// Messages dropped because the rules left them empty.
    public var droppedMessages: Int { count(of: BuiltInStep.dropEmptyMessage) }
    /// Chat parts dropped because no message was left.
    public var droppedParts: Int { count(of: BuiltInStep.dropEmptyPart) }
    /// Chat parts merged into the part before them (same sender, a dropped part between).
    public var mergedParts: Int { count(of: BuiltInStep.mergeParts) }
    /// `--layout`: how chats lay out their messages.
    public let layout: LayoutChoice

    /// A stage over `engine`; changes are logged to the file `audit` when given.
    public init(engine: ScrubEngine, audit: String? = nil, layout: LayoutChoice = .auto) {
        self.engine = engine
        self.audit = audit.map { ScrubAudit(output: SideOutput(path: $0, option: "--audit")) }
        logsChanges = audit != nil
        self.layout = layout
        stepIDs = engine.stepIDs
        Self.keepTexts(engine, logsChanges)
    }

    /// Changes keep their texts only for the audit log.
    private static func keepTexts(_ engine: ScrubEngine, _ keeps: Bool) {
        engine.messageScrubber.keepsTexts = keeps
        engine.personaNameScrubber.keepsTexts = keeps
    }

    public var sideOutputs: [SideOutput] { audit.map { [$0.output] } ?? [] }

    private init(worker engine: ScrubEngine, logsChanges: Bool, layout: LayoutChoice) {
        self.engine = engine
        audit = nil
        self.logsChanges = logsChanges
        self.layout = layout
        stepIDs = engine.stepIDs
        Self.keepTexts(engine, logsChanges)
    }

    public func makeWorker() -> RecordStage? {
        ScrubStage(worker: engine.copy(), logsChanges: logsChanges, layout: layout)
    }

    public func endUnit() -> (any WorkUnitResult)? {
        defer { unit = ScrubUnit() }
        return unit
    }

    public func absorb(_ result: any WorkUnitResult) throws {
        guard let result = result as? ScrubUnit else { return }
        absorbed = absorbed.adding(result)
        try audit?.write(result.auditLines)
    }

    public func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict {
        let root = document.root
        switch RecordKind.detect(document, layout: layout) {
        case .soc:
            let chat: ChatView
            // Each part's `messages` array as ChatView.of checks it (`forEachPart` finds the same,
            // but walks the parts' keys again, finds each sender and builds a `Part` per part).
            messageArrays.removeAll(keepingCapacity: true)
            switch ChatView.of(document, layout: layout, part: { messageArrays.append(($0, $1)) }) {
            case .success(let view): chat = view
            case .failure(let diagnosis): return .reject(diagnosis)
            }
            if chat.layout != .soc { return scrubFlat(chat, at: location) }
            return scrub(document, parts: chat.parts, at: location)
        case .spb:
            // A persona without a string name has nothing for the rules to scrub.
            guard let name = document.member(root, "name"), document.kind(name) == .string else { return .keep }
            return scrubPersona(document, name: name, at: location)
        case nil:
            let what =
                document.kind(root) == .object
                ? "an object that is neither a SOC chat nor an SPB persona" : document.kind(root).nameWithArticle
            return .reject(Diagnosis(code: .notAChat, path: "$", message: "record is \(what)"))
        }
    }

    // MARK: Chats

    /// The current chat's parts and their `messages` arrays (tape indices), reused across records.
    // @exclusivity(unchecked) on the per-record scratch arrays of this stage: measured with
    // callgrind (5 MB realistic, --threads 1): dynamic access checks on them and TextScrubber's
    // per-record state cost about 1% of the run's instructions (swift_beginAccess/endAccess
    // 2.6M of 230M). Each worker owns its stage, so no access overlaps.
    @exclusivity(unchecked) var messageArrays: [(part: Int, messages: Int)] = []

    /// The current chat's changed messages, in document order (reused across records).
    @exclusivity(unchecked) private var changed: [MessageChange] = []

    /// The verdict of the last changed chat without a line output, kept: its edit's buffer is
    /// written again for the next one (the runner drops a verdict before the next record, so it
    /// is unique again; a new array and buffer per chat cost ~600 instructions and 13
    /// mispredicted branches in their release alone; callgrind, realistic bench file).
    @exclusivity(unchecked) private var editBuffer = [JSONEdit(range: 0..<0, replacement: [])]

    /// Where the runner collects the unit's new lines (`attach`): a rebuilt chat goes there whole
    /// (copied there from the edit buffer, scrub cost 832.5 against 823.9 now; callgrind).
    private var lineOutput: LineOutput?

    public func attach(_ output: LineOutput) { lineOutput = output }

    private func scrub(_ document: JSONDocument, parts: Int, at location: RecordLocation) -> Verdict {
        let scrubber = engine.messageScrubber
        scrubber.beginRecord()
        recordASCII = -1
        markCandidates(document)
        // `{persona}` checks read the personas' bytes, cached per persona (no strings built).
        scrubber.matcher.personaDocument = document
        defer { scrubber.matcher.personaDocument = nil }
        // Scrub only the candidates; collect what changed, in document order.
        // Element by element, as `PersonaMatcher.load` empties its entries: with the change
        // below, 1.6M fewer instructions and 172k fewer mispredicted branches than
        // `removeAll(keepingCapacity:)`, which took `replaceSubrange`'s general path once per
        // record (callgrind --branch-sim, real20.jsonl, --threads 1).
        while !changed.isEmpty { changed.removeLast() }
        for c in 0..<candidateCount {
            let span = candidates[c]
            do throws(RuleMatchFailure) {
                // Taken apart, so each part moves into the change (the tuple's copies were
                // retained, and the tuple released, once per changed message).
                if let (outcome, escapes, kept) = try scrubMessage(
                    document, span.element, scrubber, keeping: true, gates: span.gates,
                    names: { Self.personaNames(document) })
                {
                    changed.append(
                        MessageChange(
                            part: span.part, message: span.message, element: span.element, outcome: outcome,
                            escapes: escapes, kept: kept,
                            plain: kept == nil && scrubber.literalsArePlain && !document.hasEscapes(span.element)))
                }
            } catch {
                return Self.limitRejection(error, part: span.part, message: span.message)
            }
        }
        if changed.isEmpty { return .keep }

        // The record's style (non-ASCII written raw or as `\u` escapes) matters only when a
        // changed string has non-ASCII text: the record is scanned only then.
        // By index: `contains` and `for … in` copied each change (its arrays retained and released).
        // A plain change's pieces are not read: they hold non-ASCII only in a record that has
        // raw non-ASCII, which writes it raw anyway (`MessageChange.plain`).
        var writesNonASCII = false
        for c in changed.indices where !changed[c].plain && changed[c].outcome.pieces.hasNonASCII {
            writesNonASCII = true
            break
        }
        // The new line is written whole, into the runner's line output (else the edit buffer).
        var rebuild = ChatRebuild(
            document: document, parts: messageArrays, asciiOnly: writesNonASCII && recordIsASCII(document))
        let result: ChatRebuild.Result
        let written: Range<Int>
        if let lineOutput {
            let base = lineOutput.bytes.count
            result = rebuild.build(changed, chatParts: parts, appendingTo: &lineOutput.bytes)
            written = base..<lineOutput.bytes.count
        } else {
            editBuffer[0].replacement.removeAll(keepingCapacity: true)
            result = rebuild.build(changed, chatParts: parts, appendingTo: &editBuffer[0].replacement)
            written = 0..<editBuffer[0].replacement.count
        }
        switch result {
        case .emptied(let left):
            return Self.emptiedRejection(parts: left)
        case .unchanged:
            return .keep
        case .written:
            // Counted only now: a rejected record's changes are not made.
            if logsChanges || !rebuild.steps.isEmpty {
                countLogged(document, at: location, steps: rebuild.steps)
            } else {
                // Without the log only the steps count, read in place (passing each outcome
                // copied it: three references retained and released per changed message).
                for c in changed.indices { changed[c].outcome.steps.addCounts(to: &unit) }
            }
            if lineOutput != nil { return .written(written) }
            editBuffer[0].range = 0..<document.bytes.count
            return .edit(editBuffer)
        }
    }

    // Out of line, the rare paths below (rejections, the audit) keep `scrub`'s code compact:
    // its per-record code is read from the instruction cache once per record.

    /// `scrub`'s counting of a changed chat with the audit log, or with built-in steps.
    @inline(never)
    private func countLogged(
        _ document: JSONDocument, at location: RecordLocation, steps: [(change: ScrubChange, part: Int)]
    ) {
        // The id is for the audit.
        let id = logsChanges ? document.member(document.root, "chat_id").flatMap { document.string($0) } : nil
        for c in changed.indices {
            if logsChanges {
                count(changed[c].outcome, at: location, id: id, part: changed[c].part, message: changed[c].message)
            } else {
                changed[c].outcome.steps.addCounts(to: &unit)
            }
        }
        for step in steps {
            count(step.change, at: location, id: id, part: step.part, message: nil)
        }
    }

    /// The rejection of a chat scrubbing would leave with `parts` parts.
    @inline(never)
    private static func emptiedRejection(parts left: Int) -> Verdict {
        .reject(
            Diagnosis(
                code: .emptiedByScrub, path: "$.chat_parts",
                message:
                    "scrubbing leaves \(left) part\(left == 1 ? "" : "s") (a chat needs at least 2); the record is not written"
            ))
    }

    /// The rejection of a chat whose message `message` of part `part` a rule could not finish on.
    @inline(never)
    private static func limitRejection(_ failure: RuleMatchFailure, part: Int, message: Int) -> Verdict {
        .reject(limitDiagnosis(failure, path: "$.chat_parts[\(part)].messages[\(message)]"))
    }

    /// Whether the current record has no raw non-ASCII byte (found once per record, when
    /// asked: -1 not yet).
    @exclusivity(unchecked) var recordASCII: Int8 = -1

    /// The unescaped text of the current message, reused from message to message (freed with
    /// the stage).
    @exclusivity(unchecked) var decodeBuffer = UnsafeMutableRawBufferPointer.allocate(
        byteCount: 4096, alignment: 1)

    deinit {
        decodeBuffer.deallocate()
    }

    /// The rejection of a record a rule could not finish on.
    static func limitDiagnosis(_ failure: RuleMatchFailure, path: String) -> Diagnosis {
        Diagnosis(
            code: .regexLimit, path: path,
            message:
                "rule '\(failure.rule)' could not finish on this text (PCRE2: \(failure.error.message)); the record is not written rather than passed unchecked"
        )
    }

    // MARK: Candidates (found in ScrubStage+Candidates.swift)

    /// A message worth running the rules on: its tape index, part and place in the part, and
    /// `gates`: which of the gate bytes its raw content holds (bit k: gate byte k; nil when
    /// unknown).
    typealias Candidate = (element: Int, part: Int, message: Int, gates: UInt8?)
    /// The current record's messages worth running the rules on, in document order.
    /// The first `candidateCount` entries are the current record's (the rest are room kept).
    @exclusivity(unchecked) var candidates: [Candidate] = []
    @exclusivity(unchecked) var candidateCount = 0
    /// Where the gate bytes lie in the current record's messages (reused across records).
    @exclusivity(unchecked) var gateBitmap = GateBitmap()
    lazy var gateBytes: [UInt8]? = engine.messageScrubber.gateBytes
    /// `gateBytes` as `markCandidates` reads them.
    lazy var candidateGate = CandidateGate(gateBytes, rules: engine.messageScrubber.rules)

    /// The names, first names and usernames of the chat's two personas.
    static func personaNames(_ document: JSONDocument) -> PersonaNames {
        var personas: [(name: String?, username: String?)] = []
        if let experience = document.member(document.root, "experience") {
            for key in ["persona1", "persona2"] {
                guard let persona = document.member(experience, key) else { continue }
                personas.append(
                    (
                        document.member(persona, "name").flatMap { document.string($0) },
                        document.member(persona, "username").flatMap { document.string($0) }
                    ))
            }
        }
        return PersonaNames(personas)
    }

    // MARK: Personas

    private func scrubPersona(_ document: JSONDocument, name: Int, at location: RecordLocation) -> Verdict {
        let scrubber = engine.personaNameScrubber
        scrubber.beginRecord()
        let outcome: ScrubOutcome?
        do throws(RuleMatchFailure) {
            let text =
                document.hasEscapes(name)
                ? JSONString.unescape(document.stringContent(name)) : Array(document.stringContent(name))
            outcome = try scrubber.scrub(text) {
                PersonaNames([
                    (document.string(name), document.member(document.root, "username").flatMap { document.string($0) })
                ])
            }
        } catch {
            return .reject(Self.limitDiagnosis(error, path: "$.name"))
        }
        guard let outcome else { return .keep }
        // A name is never emptied (or split): if the rules would leave nothing, it stays.
        let joined = Array(outcome.pieces.joined(separator: [UInt8(ascii: " ")]))
        guard !joined.isEmpty else { return .keep }
        let id = document.member(document.root, "id").flatMap { document.string($0) }
        if logsChanges {
            for change in outcome.changes where change.rule != BuiltInStep.dropEmptyMessage {
                count(change, at: location, id: id, part: nil, message: nil)
            }
        } else {
            for step in outcome.steps where step != BuiltInStep.dropEmptyMessageStep { unit.add(step) }
        }
        var bytes: [UInt8] = []
        JSONSplice.appendString(joined, asciiOnly: JSONSplice.isASCII(document.bytes), to: &bytes)
        return .edit([JSONEdit(range: document.span(name), replacement: bytes)])
    }

    // MARK: Accounting

    /// Counts (and logs, with `--audit`) every change of `outcome`.
    func count(_ outcome: ScrubOutcome, at location: RecordLocation, id: String?, part: Int?, message: Int?) {
        guard logsChanges else {
            for step in outcome.steps { unit.add(step) }
            return
        }
        for change in outcome.changes {
            count(change, at: location, id: id, part: part, message: message)
        }
    }

    func count(_ change: ScrubChange, at location: RecordLocation, id: String?, part: Int?, message: Int?) {
        unit.add(change.step)
        if logsChanges {
            ScrubAudit.appendLine(change, at: location, id: id, part: part, message: message, to: &unit.auditLines)
        }
    }
}
