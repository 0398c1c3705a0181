#if canImport(Glibc)
    import Glibc
#endif

extension RecordRunner {
    /// Applies a decided unit: confirms claims, counts each line and writes it where its verdict
    /// sends it, then hands the unit's result to the primary stage. Runs on one thread, in input order.
    func apply(_ unit: WorkUnit, outputs: RunOutputs) throws {
        let file = unit.file
        if unit.skippedByteOrderMark && !configuration.quiet {
            diagnostics.notice(
                Diagnosis(
                    code: .byteOrderMark, message: "a UTF-8 byte order mark at the start of the input was skipped"),
                at: RecordLocation(file: file, line: 1))
        }
        var records = PendingRun(sink: outputs.records)
        // One location for the unit, its line set per record: a location made per claim
        // retained and released the file name around each `confirm` (an existential call), on
        // the serial path (0.8% of soc-dedup's time at --threads 1, perf).
        var location = RecordLocation(file: file, line: 0)
        try unit.rewritten.withUnsafeBytes { rewritten in
            for k in 0..<unit.lines.count {
                location.line = unit.lines[k].number
                try apply(
                    unit.decisions[k], line: k, of: unit, rewritten: rewritten, at: location, outputs: outputs,
                    records: &records)
            }
        }
        try records.flush()
        if let result = unit.result { try stage.absorb(result) }
        unitsApplied += 1
    }

    // Inlined: the per-line path of the writer (5 M `{}` lines, see LineBatch.swift).
    @inline(__always)
    private func apply(
        _ decision: LineDecision, line k: Int, of unit: WorkUnit, rewritten: UnsafeRawBufferPointer,
        at location: RecordLocation, outputs: RunOutputs, records: inout PendingRun
    ) throws {
        let line = unit.lines[k]
        tally.countRead()
        switch decision {
        case .overlong(let length):
            let diagnosis = Diagnosis(
                code: .lineTooLong,
                message: "line of \(length) bytes is longer than --max-line-bytes \(configuration.maxLineBytes)")
            try reject(diagnosis, [], at: location)
            // A buffered overlong line is written here; a streamed one already went out chunk by chunk.
            try outputs.rejects?.write(line.bytes)
            try outputs.rejects?.write(byte: 10)
        case .blank:
            tally.countRemoved(.emptyLine)
        case .malformed(let error):
            try reject(Diagnosis(code: error.code, message: error.message), [], at: location)
            try writeLine(line, to: outputs.rejects)
        case .decided(var verdict):
            if case .keep(let claim?) = verdict {
                verdict = try stage.confirm(claim, at: location)
            }
            switch verdict {
            case .keep:
                tally.countWritten(modified: false)
                try records.add(unit.lines.bytesWithNewline(k))
            case .edit(let edits):
                // Only an empty edit list gets here: the worker applied the others (`.rewritten`).
                tally.countWritten(modified: !edits.isEmpty)
                if edits.isEmpty {
                    try records.add(unit.lines.bytesWithNewline(k))
                } else {
                    try records.flush()
                    var bytes: [UInt8] = []
                    JSONEdit.apply(edits, to: line.bytes, appendingTo: &bytes)
                    bytes.append(10)
                    try outputs.records.write(bytes)
                }
            case .written:
                // `StageWorker.decide` turns every `.written` into `.rewritten`; `confirm`,
                // which has no line output, never returns it.
                preconditionFailure("a stage returned .written outside process")
            case .consume:
                tally.countWritten(modified: false)
            case .remove(let diagnosis):
                tally.countRemoved(diagnosis.code)
                try writeLine(line, to: outputs.removed)
            case .reject(let diagnosis, let additional):
                try reject(diagnosis, additional, at: location)
                try writeLine(line, to: outputs.rejects)
            }
        case .rewritten(let range):
            tally.countWritten(modified: true)
            try records.add(UnsafeRawBufferPointer(rebasing: rewritten[range]))
        }
    }

    // Inlined: the per-line path of the writer (5 M `{}` lines, see LineBatch.swift).
    @inline(__always)
    private func writeLine(_ line: Line, to sink: OutputSink?) throws(OutputError) {
        guard let sink else { return }
        try sink.write(line.bytes)
        try sink.write(byte: 10)
    }

    private func reject(_ diagnosis: Diagnosis, _ more: [Diagnosis], at location: RecordLocation) throws {
        tally.countRejected(diagnosis.code)
        if !configuration.quiet { diagnostics.report(diagnosis, at: location) }
        try onReject?(location, diagnosis, more)
    }
}

/// The lines of a unit bound for one sink (unchanged lines of the batch, lines a worker
/// rewrote), as runs of bytes that lie next to each other in memory, handed to the sink together
/// (`OutputSink.write(gathering:total:)`) so the writer copies no line itself. The runs point
/// into the unit: they must be flushed before it is reused.
struct PendingRun {
    let sink: OutputSink
    private var start: UnsafeRawPointer?
    private var count = 0
    /// The runs before the current one.
    private var runs: [iovec] = []
    private var total = 0
    /// Runs gathered before they are handed on.
    private static let maximumRuns = OutputSink.maximumPieces

    init(sink: OutputSink) { self.sink = sink }

    /// Adds `bytes`: joined to the current run when they continue it, else a new run.
    @inline(__always)
    mutating func add(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if let start, start + count == base {
            count += bytes.count
            return
        }
        if let start {
            if runs.count == Self.maximumRuns - 1 { try flush() } else { closeRun(start) }
        }
        start = base
        count = bytes.count
    }

    private mutating func closeRun(_ start: UnsafeRawPointer) {
        runs.append(iovec(iov_base: UnsafeMutableRawPointer(mutating: start), iov_len: count))
        total += count
    }

    /// Hands the runs to the sink (which buffers short ones and writes long ones in place).
    mutating func flush() throws(OutputError) {
        if let start, count > 0 { closeRun(start) }
        start = nil
        count = 0
        guard !runs.isEmpty else { return }
        let bytes = total
        total = 0
        defer { runs.removeAll(keepingCapacity: true) }
        if runs.count == 1 {
            try sink.write(UnsafeRawBufferPointer(start: runs[0].iov_base, count: runs[0].iov_len))
            return
        }
        let result = runs.withUnsafeMutableBufferPointer { pieces in
            Result { () throws(OutputError) in try sink.write(gathering: pieces, total: bytes) }
        }
        try result.get()
    }
}
