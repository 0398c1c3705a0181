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
        for k in 0..<unit.lines.count {
            try apply(unit.decisions[k], line: unit.lines[k], file: file, outputs: outputs)
        }
        if let result = unit.result { try stage.absorb(result) }
        unitsApplied += 1
    }

    // Inlined: the per-line path of the writer (5 M `{}` lines, see LineBatch.swift).
    @inline(__always)
    private func apply(_ decision: LineDecision, line: Line, file: String, outputs: RunOutputs) throws {
        tally.countRead()
        switch decision {
        case .overlong(let length):
            let diagnosis = Diagnosis(
                code: .lineTooLong,
                message: "line of \(length) bytes is longer than --max-line-bytes \(configuration.maxLineBytes)")
            try reject(diagnosis, [], at: RecordLocation(file: file, line: line.number))
            // A buffered overlong line is written here; a streamed one already went out chunk by chunk.
            try outputs.rejects?.write(line.bytes)
            try outputs.rejects?.write(byte: 10)
        case .blank:
            tally.countRemoved(.emptyLine)
        case .malformed(let error):
            try reject(
                Diagnosis(code: error.code, message: error.message), [],
                at: RecordLocation(file: file, line: line.number))
            try writeLine(line, to: outputs.rejects)
        case .decided(var verdict):
            if case .keep(let claim?) = verdict {
                verdict = try stage.confirm(claim, at: RecordLocation(file: file, line: line.number))
            }
            switch verdict {
            case .keep:
                tally.countWritten(modified: false)
                try writeLine(line, to: outputs.records)
            case .edit(let edits):
                tally.countWritten(modified: !edits.isEmpty)
                try writeEdited(line.bytes, edits, to: outputs.records)
                try outputs.records.write(byte: 10)
            case .consume:
                tally.countWritten(modified: false)
            case .remove(let diagnosis):
                tally.countRemoved(diagnosis.code)
                try writeLine(line, to: outputs.removed)
            case .reject(let diagnosis, let additional):
                try reject(diagnosis, additional, at: RecordLocation(file: file, line: line.number))
                try writeLine(line, to: outputs.rejects)
            }
        }
    }

    // Inlined: the per-line path of the writer (5 M `{}` lines, see LineBatch.swift).
    @inline(__always)
    private func writeLine(_ line: Line, to sink: OutputSink?) throws(OutputError) {
        guard let sink else { return }
        try sink.write(line.bytes)
        try sink.write(byte: 10)
    }

    /// Writes `line` with `edits` applied, piece by piece into the sink's buffer: the bytes
    /// `JSONEdit.apply` would return, without building the new line first (the writer is serial,
    /// and scrub edits nearly every record).
    private func writeEdited(_ line: UnsafeRawBufferPointer, _ edits: [JSONEdit], to sink: OutputSink)
        throws(OutputError)
    {
        var ordered = true
        for k in edits.indices.dropFirst() where edits[k].range.lowerBound < edits[k - 1].range.lowerBound {
            ordered = false
        }
        let sorted = ordered ? edits : edits.sorted { $0.range.lowerBound < $1.range.lowerBound }
        var position = 0
        for edit in sorted {
            precondition(edit.range.lowerBound >= position, "overlapping JSON edits")
            try sink.write(UnsafeRawBufferPointer(rebasing: line[position..<edit.range.lowerBound]))
            try sink.write(edit.replacement)
            position = edit.range.upperBound
        }
        try sink.write(UnsafeRawBufferPointer(rebasing: line[position...]))
    }

    private func reject(_ diagnosis: Diagnosis, _ more: [Diagnosis], at location: RecordLocation) throws {
        tally.countRejected(diagnosis.code)
        if !configuration.quiet { diagnostics.report(diagnosis, at: location) }
        try onReject?(location, diagnosis, more)
    }
}
