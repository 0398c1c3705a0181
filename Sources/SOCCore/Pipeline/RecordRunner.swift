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
    var ioFailed = false

    public init(configuration: RunConfiguration, stage: RecordStage) {
        self.configuration = configuration
        self.stage = stage
        diagnostics = DiagnosticPrinter(tool: configuration.tool, format: configuration.diagnosticFormat)
    }

    /// Runs over all inputs and returns the exit status.
    public func run() -> ExitStatus {
        signal(SIGPIPE, SIG_IGN)
        let output: OutputSink
        var rejectsSink: OutputSink?
        var removedSink: OutputSink?
        do throws(OutputError) {
            output = configuration.writesRecords ? try OutputSink.file(configuration.output ?? "-") : try OutputSink.file("/dev/null")
            rejectsSink = try configuration.rejects.map { (path) throws(OutputError) in try OutputSink.file(path) }
            removedSink = try configuration.removed.map { (path) throws(OutputError) in try OutputSink.file(path) }
        } catch {
            StandardError.write("\(configuration.tool): \(error)\n")
            return .ioError
        }

        let outputs = RunOutputs(records: output, rejects: rejectsSink, removed: removedSink)
        let workers = makeWorkers()
        let progress = ProgressMeter(tool: configuration.tool)
        defer { progress.end() }
        do throws(OutputError) {
            for input in configuration.inputs {
                try process(input, workers: workers, progress: progress, outputs: outputs)
            }
            progress.end()
            workers.mergeIntoPrimary()
            do {
                try stage.finish(tally: tally)
            } catch let error as OutputError {
                throw error
            } catch let error as DataFailure {
                StandardError.write("\(configuration.tool): \(error)\n")
                return .dataFailure
            } catch {
                StandardError.write("\(configuration.tool): \(error)\n")
                return .ioError
            }
            try output.commit()
            try rejectsSink?.commit()
            try removedSink?.commit()
        } catch .brokenPipe {
            // The reader downstream went away (`| head`): stop quietly, as Unix filters do.
            return .success
        } catch {
            StandardError.write("\(configuration.tool): \(error)\n")
            return .ioError
        }
        diagnostics.finish()
        precondition(tally.isBalanced, "accounting does not add up")
        if let reportPath = configuration.report {
            let report = RunReport(tool: configuration.tool, tally: tally, inputs: configuration.inputs.map(\.displayName), extras: stage.reportExtras)
            do throws(OutputError) {
                let sink = try OutputSink.file(reportPath)
                try sink.write(report.json.prettyPrinted() + "\n")
                try sink.commit()
            } catch {
                StandardError.write("\(configuration.tool): \(error)\n")
                return .ioError
            }
        }
        if ioFailed { return .ioError }
        if tally.rejected > 0 && (configuration.rejects == nil || configuration.strict) {
            if configuration.rejects == nil {
                StandardError.write("\(configuration.tool): \(tally.rejected) line(s) rejected; use --rejects FILE to keep them\n")
            }
            return .dataFailure
        }
        return .success
    }
}
