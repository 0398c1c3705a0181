/// Where a run's lines go: the records, `--rejects`, `--removed` and the side outputs, all
/// opened before the first line is read and committed together at the end of a run that read
/// all its inputs.
final class RunOutputs: @unchecked Sendable {
    let records: OutputSink
    let rejects: OutputSink?
    let removed: OutputSink?
    let sides: [SideOutput]

    init(_ configuration: RunConfiguration, sides: [SideOutput]) throws(OutputError) {
        records = try OutputSink.file(configuration.writesRecords ? configuration.output ?? "-" : "/dev/null")
        rejects = try configuration.rejects.map { (path) throws(OutputError) in try OutputSink.file(path) }
        removed = try configuration.removed.map { (path) throws(OutputError) in try OutputSink.file(path) }
        self.sides = sides
        for side in sides { try side.open() }
    }

    /// Gives every file up: a run that stopped early commits nothing and leaves no temporary.
    func discard() {
        records.discard()
        rejects?.discard()
        removed?.discard()
        for side in sides { side.discard() }
    }

    /// After a quiet stop on stdout (`| head`): the files other than stdout are put in place with
    /// what was processed.
    func commitAfterQuietStop() throws(OutputError) {
        try rejects?.commit()
        try removed?.commit()
        for side in sides where side.path != "-" { try side.commit() }
    }

    /// Flushes everything and puts the files in place: every file is flushed first, so that a
    /// write that fails (a full disk, a side output whose reader went away) leaves them all out.
    func commit() throws(OutputError) {
        try records.finish()
        try rejects?.finish()
        try removed?.finish()
        for side in sides { try side.finish() }
        try records.commit()
        try rejects?.commit()
        try removed?.commit()
        for side in sides { try side.commit() }
    }
}
