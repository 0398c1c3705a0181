/// The reader: opens the inputs in turn and fills work units from them, on its own thread, so
/// that reading (and decompressing) overlaps with deciding and writing.
final class ReadingThread: @unchecked Sendable {
    private let configuration: RunConfiguration
    private let pipeline: UnitPipeline
    private let rejects: OutputSink?
    private var thread: WorkerThread?

    init(configuration: RunConfiguration, pipeline: UnitPipeline, rejects: OutputSink?) {
        self.configuration = configuration
        self.pipeline = pipeline
        self.rejects = rejects
    }

    func start() {
        let thread = WorkerThread { [self] in readAll() }
        self.thread = thread
        thread.start()
    }

    func join() { thread?.join() }
    /// CPU seconds the reader used (after `join`).
    var cpuSeconds: Double { thread?.cpuSeconds ?? 0 }
    func detach() { thread?.detach() }

    /// Reads every input; an input that cannot be read ends the run (a unit carrying the error).
    private func readAll() {
        defer { pipeline.finishReading() }
        for (index, input) in configuration.inputs.enumerated() {
            guard read(input, index: index) else { return }
        }
    }

    /// Reads one input to its end; false when the run must stop.
    private func read(_ input: InputFile, index: Int) -> Bool {
        let source: ByteSource
        do {
            source = try input.open()
        } catch {
            return fail(error, input: index)
        }
        defer { source.close() }
        let reader = LineReader(source: source, maxLineBytes: configuration.maxLineBytes)
        var streamFailure: OutputError?
        var streaming = false
        if let rejects {
            // A line too long for the buffer is never held whole: it streams into --rejects as it
            // is skipped, once every line before it was written (the writer is then idle).
            reader.willStreamOverlongLine = { [pipeline] in streaming = pipeline.waitUntilAllApplied() }
            reader.overlongChunk = { chunk in
                guard streaming, streamFailure == nil else { return }
                do throws(OutputError) { try rejects.write(chunk) } catch { streamFailure = error }
            }
        }
        var saidByteOrderMark = false
        while true {
            guard let unit = pipeline.takeFree() else { return false }
            unit.inputIndex = index
            unit.file = input.displayName
            let more: Bool
            do {
                streaming = false
                more = try reader.nextBatch(into: unit.lines, limits: configuration.batchLimits)
            } catch {
                unit.reset()
                unit.failure = error
                pipeline.submit(unit)
                return false
            }
            if reader.skippedByteOrderMark && !saidByteOrderMark {
                // The first unit of the input carries the notice, so it prints in input order.
                unit.skippedByteOrderMark = true
                saidByteOrderMark = true
            }
            if !more {
                if unit.skippedByteOrderMark { pipeline.submit(unit) } else { pipeline.recycleUnsubmitted(unit) }
                return true
            }
            unit.bytesConsumed = reader.bytesConsumed
            if let streamFailure {
                unit.reset()
                unit.failure = streamFailure
                pipeline.submit(unit)
                return false
            }
            pipeline.submit(unit)
        }
    }

    private func fail(_ error: any Error, input: Int) -> Bool {
        guard let unit = pipeline.takeFree() else { return false }
        unit.inputIndex = input
        unit.failure = error
        pipeline.submit(unit)
        return false
    }
}
