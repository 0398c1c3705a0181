/// The reading role: opens the inputs in turn and fills one work unit per call. One thread at a
/// time holds the role (`UnitScheduler` hands it over), so reading and decompressing overlap
/// with the other threads' deciding and writing.
final class InputFeeder: @unchecked Sendable {
    /// What `fill` did with the unit.
    enum Fill {
        /// The unit holds the next lines (or only the notice of a skipped byte order mark).
        case filled
        /// Reading cannot go on: the unit carries why (`failure`) and has no lines.
        case failed
        /// Every input was read to its end; the unit was not used.
        case ended
    }

    private let configuration: RunConfiguration
    private let rejects: OutputSink?
    private var inputIndex = 0
    private var source: ByteSource?
    private var reader: LineReader?
    private var saidByteOrderMark = false
    private var streaming = false
    private var streamFailure: OutputError?
    /// Called before an overlong line streams into `--rejects`: returns once every unit
    /// submitted before was applied (the caller helps with that work meanwhile), false when the
    /// run is stopping.
    var drainBeforeStreaming: () -> Bool = { true }

    init(configuration: RunConfiguration, rejects: OutputSink?) {
        self.configuration = configuration
        self.rejects = rejects
    }

    /// Fills `unit` (reset, free) with the next lines of the inputs.
    func fill(_ unit: WorkUnit) -> Fill {
        while inputIndex < configuration.inputs.count {
            let input = configuration.inputs[inputIndex]
            unit.inputIndex = inputIndex
            unit.file = input.displayName
            let reader: LineReader
            if let current = self.reader {
                reader = current
            } else {
                do {
                    reader = try open(input)
                } catch {
                    return fail(unit, error)
                }
            }
            let more: Bool
            do {
                streaming = false
                more = try reader.nextBatch(into: unit.lines, limits: configuration.batchLimits)
            } catch {
                return fail(unit, error)
            }
            if reader.skippedByteOrderMark && !saidByteOrderMark {
                // The first unit of the input carries the notice, so it prints in input order.
                unit.skippedByteOrderMark = true
                saidByteOrderMark = true
            }
            unit.bytesConsumed = reader.bytesConsumed
            if !more {
                closeInput()
                inputIndex += 1
                if unit.skippedByteOrderMark { return .filled }
                continue
            }
            if let streamFailure { return fail(unit, streamFailure) }
            return .filled
        }
        return .ended
    }

    private func open(_ input: InputFile) throws -> LineReader {
        let source = try input.open()
        let reader = LineReader(source: source, maxLineBytes: configuration.maxLineBytes)
        if let rejects {
            // A line too long for the buffer is never held whole: it streams into --rejects as it
            // is skipped, once every line before it was written.
            reader.willStreamOverlongLine = { [unowned self] in streaming = drainBeforeStreaming() }
            reader.overlongChunk = { [unowned self] chunk in
                guard streaming, streamFailure == nil else { return }
                do throws(OutputError) { try rejects.write(chunk) } catch { streamFailure = error }
            }
        }
        self.source = source
        self.reader = reader
        saidByteOrderMark = false
        return reader
    }

    private func closeInput() {
        source?.close()
        source = nil
        reader = nil
    }

    /// Reading stops at `unit`, which carries `error`.
    private func fail(_ unit: WorkUnit, _ error: any Error) -> Fill {
        closeInput()
        inputIndex = configuration.inputs.count
        unit.reset()
        unit.failure = error
        return .failed
    }
}
