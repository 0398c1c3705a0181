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

    /// Flushes everything and puts the files in place.
    func commit() throws(OutputError) {
        try records.commit()
        try rejects?.commit()
        try removed?.commit()
        for side in sides { try side.commit() }
    }
}
