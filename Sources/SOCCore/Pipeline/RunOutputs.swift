/// Where a run's lines go: the records, `--rejects` and `--removed`, opened before the first
/// line is read and committed together at the end of a run that read all its inputs.
final class RunOutputs: @unchecked Sendable {
    let records: OutputSink
    let rejects: OutputSink?
    let removed: OutputSink?

    init(_ configuration: RunConfiguration) throws(OutputError) {
        records = try OutputSink.file(configuration.writesRecords ? configuration.output ?? "-" : "/dev/null")
        rejects = try configuration.rejects.map { (path) throws(OutputError) in try OutputSink.file(path) }
        removed = try configuration.removed.map { (path) throws(OutputError) in try OutputSink.file(path) }
    }

    /// Flushes everything and puts the files in place.
    func commit() throws(OutputError) {
        try records.commit()
        try rejects?.commit()
        try removed?.commit()
    }
}
