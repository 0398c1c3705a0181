/// What happened to one line before it is counted and written.
enum LineDecision {
    case overlong(Int)
    case blank
    case malformed(JSONParseError)
    case decided(Verdict)
    /// Kept with edits, already applied by the worker: the new line (with its `\n`) is
    /// `WorkUnit.rewritten[range]`, so the serial writer only copies bytes out.
    case rewritten(Range<Int>)
}

/// One work unit: a batch of lines of one input, cut by the input alone, and what was decided
/// about them. It travels reader → worker → writer; only one thread holds it at a time.
final class WorkUnit: @unchecked Sendable {
    /// Position in the run: units are applied in this order.
    var sequence = 0
    /// The runner thread that read the unit last (-1: none yet), which as a rule decided it
    /// too; `UnitScheduler` hands the free unit back to it, whose caches still hold its buffers.
    var lastThread = -1
    /// Index of its input in the run's inputs, and that input's display name.
    var inputIndex = 0
    var file = ""
    let lines: LineBatch
    /// One decision per line, filled by the stage that decides the unit.
    @exclusivity(unchecked) var decisions: [LineDecision] = []  // as LineBatch: one thread at a time
    /// The edited lines of the unit, one after another, each with its `\n` (`LineDecision.rewritten`).
    @exclusivity(unchecked) var rewritten: [UInt8] = []
    /// What that stage gathered over the unit (`RecordStage.endUnit`).
    var result: (any WorkUnitResult)?
    /// Why the run must stop here (an input that cannot be read, a rejects file that failed
    /// while an overlong line streamed into it); the unit has no lines then.
    var failure: (any Error)?
    /// Bytes of the input read when the unit was cut (for progress).
    var bytesConsumed = 0
    /// The unit is its input's first and the input began with a UTF-8 byte order mark, skipped.
    var skippedByteOrderMark = false

    init(limits: BatchLimits) {
        lines = LineBatch(capacity: limits.bytes)
        decisions.reserveCapacity(min(limits.lines, 4096))
    }

    /// Empties the unit for reuse. The decisions (and the edits they hold) are emptied by the
    /// worker that decides the unit next (`StageWorker.decide`), so their memory is freed on a
    /// worker rather than on the serial reader.
    func reset() {
        lines.reset()
        result = nil
        failure = nil
        skippedByteOrderMark = false
    }
}

/// A parser and a stage for one thread.
final class StageWorker: @unchecked Sendable {
    let parser: JSONParser
    let stage: RecordStage
    /// The unit's `rewritten` while it is decided here, lent to the stage (`RecordStage.attach`).
    let output = LineOutput()

    init(parser: JSONParser, stage: RecordStage) {
        self.parser = parser
        self.stage = stage
        stage.attach(output)
    }

    /// Decides every line of `unit`, then closes the unit; touches nothing shared. Edits are
    /// applied here, on the worker, into `unit.rewritten` (lent to the stage as `output` while
    /// the unit is decided, so a stage may write a new line there itself: `Verdict.written`).
    func decide(_ unit: WorkUnit) {
        let file = unit.file
        unit.decisions.removeAll(keepingCapacity: true)
        swap(&output.bytes, &unit.rewritten)
        defer { swap(&output.bytes, &unit.rewritten) }
        output.bytes.removeAll(keepingCapacity: true)
        for k in 0..<unit.lines.count {
            let line = unit.lines[k]
            // The decision is moved into the unit, not copied: a `var` reassigned here was copied
            // once more per line and destroyed (soc-dedup, whose claims are existentials, on the
            // 100 MB bench file: claim copies 71K -> 54K, 1685.6M -> 1681.3M instructions).
            let decision = decide(line, file: file)
            if case .decided(.written(let range)) = decision {
                output.bytes.append(10)
                unit.decisions.append(.rewritten(range.lowerBound..<output.bytes.count))
            } else if case .decided(.edit(let edits)) = decision, !edits.isEmpty {
                let start = output.bytes.count
                JSONEdit.apply(edits, to: line.bytes, appendingTo: &output.bytes)
                output.bytes.append(10)
                unit.decisions.append(.rewritten(start..<output.bytes.count))
            } else {
                unit.decisions.append(consume decision)
            }
        }
        unit.result = stage.endUnit()
    }

    func decide(_ line: Line, file: String) -> LineDecision {
        if let length = line.overlongLength { return .overlong(length) }
        if Self.isBlank(line.bytes) { return .blank }
        switch parser.parse(line.bytes) {
        case .failure(let error):
            return .malformed(error)
        case .success(let document):
            return .decided(stage.process(document, at: RecordLocation(file: file, line: line.number)))
        }
    }

    static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes where byte != 0x20 && byte != 0x09 && byte != 0x0D { return false }
        return true
    }
}
