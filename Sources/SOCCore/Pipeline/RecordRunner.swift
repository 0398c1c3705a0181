#if canImport(Glibc)
import Glibc
#endif

/// The one loop over lines that every tool shares: read, parse, ask the stage, write, count.
///
/// Keeping it in one place keeps the promises in one place: each line ends in exactly one of
/// written / rejected / removed; rejected lines are never dropped silently; a closed pipe ends
/// the run quietly; outputs given by path appear atomically.
public final class RecordRunner {
    public let configuration: RunConfiguration
    public let stage: RecordStage
    public internal(set) var tally = Tally()
    /// Called for every rejection with its location and diagnosis (validate's `--errors`).
    public var onReject: ((RecordLocation, Diagnosis, [Diagnosis]) -> Void)?
    let diagnostics: DiagnosticPrinter

    public init(configuration: RunConfiguration, stage: RecordStage) {
        self.configuration = configuration
        self.stage = stage
        diagnostics = DiagnosticPrinter(tool: configuration.tool, format: configuration.diagnosticFormat)
    }

    /// Runs over all inputs, commits the outputs and returns the counts. Throws a `ToolError`
    /// when the run fails: an input or output error (nothing is then committed), a stage that
    /// stopped the run, or rejected lines without `--rejects` (after committing).
    @discardableResult
    public func run() throws -> Tally {
        signal(SIGPIPE, SIG_IGN)
        let timing = TimingSummary(tool: configuration.tool)
        let output = configuration.writesRecords ? try OutputSink.file(configuration.output ?? "-") : try OutputSink.file("/dev/null")
        let rejectsSink = try configuration.rejects.map { (path) throws(OutputError) in try OutputSink.file(path) }
        let removedSink = try configuration.removed.map { (path) throws(OutputError) in try OutputSink.file(path) }

        let outputs = RunOutputs(records: output, rejects: rejectsSink, removed: removedSink)
        let workers = makeWorkers()
        let progress = ProgressMeter(tool: configuration.tool)
        defer { progress.end() }
        do {
            for input in configuration.inputs {
                try process(input, workers: workers, progress: progress, outputs: outputs)
            }
            progress.end()
            try stage.finish()
            try output.commit()
            try rejectsSink?.commit()
            try removedSink?.commit()
        } catch OutputError.brokenPipe {
            // The reader downstream went away (`| head`): stop quietly, as Unix filters do.
            return tally
        }
        diagnostics.finish()
        precondition(tally.isBalanced, "accounting does not add up")
        if let reportPath = configuration.report {
            let report = RunReport(tool: configuration.tool, tally: tally, inputs: configuration.inputs.map(\.displayName), extras: stage.reportExtras)
            let sink = try OutputSink.file(reportPath)
            try sink.write(report.json.prettyPrinted() + "\n")
            try sink.commit()
        }
        if configuration.timings {
            timing.print(threads: workers.all.count, units: 0, bytes: 0, stageLines: stage.timingLines(workers: workers.all.map(\.stage).filter { $0 !== stage }))
        }
        if tally.rejected > 0 && (configuration.rejects == nil || configuration.strict) {
            throw RunFailure(.dataFailure, configuration.rejects == nil ? "\(tally.rejected) line(s) rejected; use --rejects FILE to keep them" : "")
        }
        return tally
    }
}
