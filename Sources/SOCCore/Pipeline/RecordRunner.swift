#if canImport(Glibc)
    import Glibc
#endif

/// The one loop over lines that every tool shares: read, parse, ask the stage, write, count.
///
/// Keeping it in one place keeps the promises in one place: each line ends in exactly one of
/// written / rejected / removed; rejected lines are never dropped silently; a closed pipe ends
/// the run quietly; outputs given by path appear atomically, and only when the run read its
/// inputs to the end.
///
/// Threads: `--threads N` starts N threads that take the jobs in turn (`UnitScheduler`): one at
/// a time reads the next work unit (batches cut by the input alone), any decides a unit (each
/// thread with its own parser and stage from `makeWorker`), one at a time applies the next unit
/// in input order (claims, counts, writes, unit results). The same units are applied in the
/// same order for any `--threads`, so every output is the same bytes.
public final class RecordRunner {
    public let configuration: RunConfiguration
    public let stage: RecordStage
    // Touched only by the writer thread, once per line: no runtime exclusivity checks (the
    // writer's share of the 5 M `{}` lines measurement in LineBatch.swift).
    @exclusivity(unchecked) public internal(set) var tally = Tally()
    /// Called for every rejection, in input order, with its location, diagnosis and the record's
    /// further problems (validate's `--errors`).
    /// Throws to stop the run (a log that cannot be written).
    public var onReject: ((RecordLocation, Diagnosis, [Diagnosis]) throws -> Void)?
    let diagnostics: DiagnosticPrinter
    /// Units applied so far (for `--timings`).
    @exclusivity(unchecked) var unitsApplied = 0

    public init(configuration: RunConfiguration, stage: RecordStage) {
        self.configuration = configuration
        self.stage = stage
        diagnostics = DiagnosticPrinter(tool: configuration.tool)
    }

    /// Runs over all inputs, commits the outputs and returns the counts. Throws a `ToolError`
    /// when the run fails: an input or output error or a stage that stopped the run (nothing is
    /// then committed), or rejected lines without `--rejects` (after committing).
    @discardableResult
    public func run() throws -> Tally {
        // (ToolMain ignores SIGPIPE too; a library caller gets EPIPE as an error, not a kill.)
        signal(SIGPIPE, SIG_IGN)
        // A run kept from before (soc-dedup's first pass) is freed before this one allocates.
        ProcessTeardown.keepUntilExit([])
        let timing = TimingSummary(tool: configuration.tool)
        let sides = configuration.sideOutputs + stage.sideOutputs
        var named: [(option: String, path: String)] = []
        if configuration.writesRecords, let output = configuration.output { named.append(("-o", output)) }
        if let rejects = configuration.rejects { named.append(("--rejects", rejects)) }
        if let removed = configuration.removed { named.append(("--removed", removed)) }
        if let report = configuration.report { named.append(("--report", report)) }
        named += sides.map { ($0.option, $0.path) }
        // The main output first (the records, or a tool's one output such as the statistics).
        let main: [(option: String, path: String)] =
            configuration.writesRecords
            ? [("-o", configuration.output ?? "-")] : sides.filter { $0.option == "-o" }.map { ($0.option, $0.path) }
        try StandardOutputShare.check(
            main + named.filter { $0.option != "-o" },
            mainOutput: configuration.writesRecords ? "the records" : "the tool's output")
        try OutputPaths.check(
            outputs: named, inputs: configuration.inputs,
            stdoutIsOutput: configuration.writesRecords && (configuration.output ?? "-") == "-"
                || sides.contains { $0.path == "-" })
        let outputs = try RunOutputs(configuration, sides: sides)
        let threads = ThreadCount.resolve(configuration.threads)
        let workers = makeWorkers(threads)
        // One unit per thread, one being read, one being written, and up to 8 decided out of
        // order waiting for an earlier one: memory is bounded by the thread count, not the input.
        let scheduler = UnitScheduler(
            threads: threads, units: threads + min(threads, 8) + 2, limits: configuration.batchLimits,
            usesWorkers: !workers.isEmpty)
        let progress = ProgressMeter(tool: configuration.tool)
        defer { progress.end() }
        let context = RunContext(
            scheduler: scheduler, feeder: InputFeeder(configuration: configuration, rejects: outputs.rejects),
            outputs: outputs, progress: progress,
            // Without workers the stage decides each unit on the thread that applies it.
            primary: StageWorker(parser: JSONParser(maxDepth: configuration.maxDepth), stage: stage))
        context.feeder.drainBeforeStreaming = { [unowned self, unowned context] in drainBeforeStreaming(context) }
        let members = (0..<threads).map { index in
            RunnerThread(index: index, worker: workers.isEmpty ? nil : workers[index], timed: configuration.timings)
        }
        let handles = members.map { member in WorkerThread { [self] in work(member, context) } }
        for handle in handles { handle.start() }
        // A thread left blocked reading an input no one closes (the run stopped) ends with the process.
        for (handle, ended) in zip(handles, scheduler.waitForThreads()) {
            if ended { handle.join() } else { handle.detach() }
        }
        if let failure = scheduler.failure {
            if case OutputError.brokenPipe = failure {
                // The reader of stdout went away (`| head`): the run ends quietly, as the reader
                // asked, and the side files and the report hold what was processed.
                try outputs.commitAfterQuietStop()
                try writeReport()
                return tally
            }
            // Anything else: nothing is committed.
            outputs.discard()
            throw failure
        }
        progress.end()
        do {
            try stage.finish()
            try outputs.commit()
        } catch OutputError.brokenPipe {
            return tally
        }
        // Committed: what the run holds may go with the process (nothing left to clean up).
        ProcessTeardown.keepUntilExit([self, context, scheduler] + members)
        if !configuration.quiet { diagnostics.finish() }
        precondition(tally.isBalanced, "accounting does not add up")
        try writeReport()
        if configuration.timings {
            timing.print(
                threads: threads, units: unitsApplied, bytes: context.bytesRead,
                stageLines: [RunnerThread.roleLine(members)] + stage.timingLines(workers: workers.map(\.stage)))
        }
        if tally.rejected > 0 && (configuration.rejects == nil || configuration.strict) && !configuration.quiet {
            throw RunFailure(
                .dataFailure,
                configuration.rejects == nil
                    ? "\(tally.rejected) line(s) rejected; use --rejects FILE to keep them" : "")
        }
        return tally
    }

    private func writeReport() throws {
        guard let reportPath = configuration.report else { return }
        precondition(tally.isBalanced, "accounting does not add up")
        let report = RunReport(
            tool: configuration.tool, tally: tally, inputs: configuration.inputs.map(\.displayName),
            // A run that writes no records (`--check`, `--dry-run`, a sink) says so, so that
            // `soc-stats funnel` can refuse to chain it.
            extras: (configuration.writesRecords ? [] : [("writes_records", .bool(false))]) + stage.reportExtras)
        let sink = try OutputSink.file(reportPath)
        try sink.write(report.json.prettyPrinted() + "\n")
        try sink.commit()
    }

    /// One parser and worker stage per thread, or none when the stage cannot be split.
    private func makeWorkers(_ threads: Int) -> [StageWorker] {
        var workers: [StageWorker] = []
        for _ in 0..<threads {
            guard let worker = stage.makeWorker() else { return [] }
            workers.append(StageWorker(parser: JSONParser(maxDepth: configuration.maxDepth), stage: worker))
        }
        return workers
    }
}
