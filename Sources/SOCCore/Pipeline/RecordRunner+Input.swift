import Dispatch

/// Where a run's lines go.
struct RunOutputs {
    let records: OutputSink
    let rejects: OutputSink?
    let removed: OutputSink?
}

/// What happened to one line before it is counted and written.
enum LineDecision {
    case overlong(Int)
    case blank
    case malformed(JSONParseError)
    case decided(Verdict)
}

/// A parser and a stage for one thread.
final class StageWorker {
    let parser: JSONParser
    let stage: RecordStage

    init(parser: JSONParser, stage: RecordStage) {
        self.parser = parser
        self.stage = stage
    }

    /// Parses `line` and asks the stage; touches nothing shared, so workers can run at once.
    @inline(__always)
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

    @inline(__always)
    static func isBlank(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes where byte != 0x20 && byte != 0x09 && byte != 0x0D { return false }
        return true
    }
}

/// The workers of a run: one for a stage that cannot be split; two otherwise, always two
/// whatever the machine, so that a run's output does not depend on how many cores it had.
struct WorkerSet {
    let all: [StageWorker]

    var isParallel: Bool { all.count > 1 }
}

/// Lets the two halves of a batch be decided on two threads; each index is written by one thread.
private struct DecisionSlots: @unchecked Sendable {
    let base: UnsafeMutablePointer<LineDecision>
}

private struct BatchJob: @unchecked Sendable {
    let lines: [Line]
    let workers: [StageWorker]
    let file: String
}

extension RecordRunner {
    func makeWorkers() -> WorkerSet {
        let primary = StageWorker(parser: JSONParser(maxDepth: configuration.maxDepth), stage: stage)
        guard configuration.threads != 1, let first = stage.makeWorker(), let second = stage.makeWorker() else { return WorkerSet(all: [primary]) }
        return WorkerSet(all: [StageWorker(parser: JSONParser(maxDepth: configuration.maxDepth), stage: first),
                               StageWorker(parser: JSONParser(maxDepth: configuration.maxDepth), stage: second)])
    }

    /// Reads one input to its end; throws when it cannot be read or an output cannot be written.
    func process(_ input: InputFile, workers: WorkerSet, progress: ProgressMeter, outputs: RunOutputs) throws {
        let source = try input.open()
        defer { source.close() }
        progress.start(input: input)
        let reader = LineReader(source: source, maxLineBytes: configuration.maxLineBytes)
        var rejectsFailure: OutputError?
        if let rejects = outputs.rejects {
            // A line too long for the buffer is never held whole: it streams into --rejects as it is skipped.
            reader.overlongChunk = { chunk in
                do throws(OutputError) { try rejects.write(chunk) } catch { rejectsFailure = rejectsFailure ?? error }
            }
        }
        let file = input.displayName
        if try reader.checkByteOrderMark() {
            diagnostics.notice(Diagnosis(code: .byteOrderMark, message: "a UTF-8 byte order mark at the start of the input was skipped"), at: RecordLocation(file: file, line: 1))
        }
        if workers.isParallel {
            while true {
                let batch = try reader.nextBatch()
                if batch.isEmpty { break }
                if let failure = rejectsFailure { throw failure }
                let half = (batch.count + 1) / 2
                let decisions = Self.decideInParallel(batch, half: half, workers: workers.all, file: file)
                for (k, (line, decision)) in zip(batch, decisions).enumerated() {
                    try apply(decision, line: line, file: file, outputs: outputs)
                    // Each half is a work unit: its result goes to the primary stage in order.
                    if k == half - 1, let result = workers.all[0].stage.endUnit() { try stage.absorb(result) }
                }
                if let result = workers.all[1].stage.endUnit() { try stage.absorb(result) }
                progress.tick(records: tally.read, bytes: reader.bytesConsumed, force: true)
            }
        } else {
            let worker = workers.all[0]
            while let line = try reader.next() {
                if let failure = rejectsFailure { throw failure }
                try apply(worker.decide(line, file: file), line: line, file: file, outputs: outputs)
                progress.tick(records: tally.read, bytes: reader.bytesConsumed)
            }
            if let result = worker.stage.endUnit() { try stage.absorb(result) }
        }
    }

    /// Decides the first half of `batch` on this thread and the second half on another.
    private static func decideInParallel(_ batch: [Line], half: Int, workers: [StageWorker], file: String) -> [LineDecision] {
        let count = batch.count
        let slots = UnsafeMutablePointer<LineDecision>.allocate(capacity: count)
        defer { slots.deallocate() }
        let job = BatchJob(lines: batch, workers: workers, file: file)
        let target = DecisionSlots(base: slots)
        DispatchQueue.concurrentPerform(iterations: 2) { w in
            let range = w == 0 ? 0..<half : half..<count
            let worker = job.workers[w]
            for k in range { (target.base + k).initialize(to: worker.decide(job.lines[k], file: job.file)) }
        }
        let decisions = Array(UnsafeBufferPointer(start: slots, count: count))
        slots.deinitialize(count: count)
        return decisions
    }

    /// Counts the line and writes it where its decision sends it. Runs on one thread, in order.
    @inline(__always)
    func apply(_ decision: LineDecision, line: Line, file: String, outputs: RunOutputs) throws {
        tally.countRead()
        let location = RecordLocation(file: file, line: line.number)
        switch decision {
        case .overlong(let length):
            let diagnosis = Diagnosis(code: .lineTooLong, message: "line of \(length) bytes is longer than --max-line-bytes \(configuration.maxLineBytes)")
            reject(diagnosis, [], at: location)
            // A buffered overlong line is written here; a streamed one already went out chunk by chunk.
            try outputs.rejects?.write(line.bytes)
            try outputs.rejects?.write(byte: 10)
        case .blank:
            tally.countRemoved(.emptyLine)
        case .malformed(let error):
            reject(Diagnosis(code: error.code, message: error.message), [], at: location)
            try writeLine(line, to: outputs.rejects)
        case .decided(var verdict):
            if case .keep(let claim?) = verdict { verdict = try stage.confirm(claim, at: location) }
            switch verdict {
            case .keep:
                tally.countWritten(modified: false)
                try writeLine(line, to: outputs.records)
            case .edit(let edits):
                tally.countWritten(modified: !edits.isEmpty)
                try outputs.records.write(JSONEdit.apply(edits, to: line.bytes))
                try outputs.records.write(byte: 10)
            case .consume:
                tally.countWritten(modified: false)
            case .remove(let diagnosis):
                tally.countRemoved(diagnosis.code)
                try writeLine(line, to: outputs.removed)
            case .reject(let diagnosis, let additional):
                reject(diagnosis, additional, at: location)
                try writeLine(line, to: outputs.rejects)
            }
        }
    }

    @inline(__always)
    private func writeLine(_ line: Line, to sink: OutputSink?) throws(OutputError) {
        guard let sink else { return }
        try sink.write(line.bytes)
        try sink.write(byte: 10)
    }

    private func reject(_ diagnosis: Diagnosis, _ more: [Diagnosis], at location: RecordLocation) {
        tally.countRejected(diagnosis.code)
        diagnostics.report(diagnosis, at: location)
        onReject?(location, diagnosis, more)
    }
}
