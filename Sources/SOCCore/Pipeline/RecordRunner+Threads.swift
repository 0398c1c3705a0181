/// What the run's threads share: the scheduler, the reading role's feeder, the outputs, and the
/// applying role's state (touched only by the thread applying, one at a time).
final class RunContext: @unchecked Sendable {
    let scheduler: UnitScheduler
    let feeder: InputFeeder
    let outputs: RunOutputs
    let progress: ProgressMeter
    /// Decides units on the applying thread when the stage cannot be split.
    let primary: StageWorker
    /// The thread holding the reading role (set before each `fill`).
    var reader: RunnerThread?
    /// Bytes of the inputs applied so far (for `--timings`), and the input being applied.
    private(set) var bytesRead = 0
    private var bytesOfInput = 0
    private var currentInput = -1

    init(
        scheduler: UnitScheduler, feeder: InputFeeder, outputs: RunOutputs, progress: ProgressMeter,
        primary: StageWorker
    ) {
        self.scheduler = scheduler
        self.feeder = feeder
        self.outputs = outputs
        self.progress = progress
        self.primary = primary
    }

    /// Progress for an applied unit of input `input` that ends `bytesConsumed` into it.
    func advance(input: Int, of inputs: [InputFile], bytesConsumed: Int, records: Int) {
        if input != currentInput {
            bytesRead += bytesOfInput
            bytesOfInput = 0
            currentInput = input
            progress.start(input: inputs[input])
        }
        bytesRead += bytesConsumed - bytesOfInput
        bytesOfInput = bytesConsumed
        progress.tick(records: records, bytes: bytesConsumed, force: true)
    }
}

/// One of the run's threads: its stage (when the stage can be split) and, for `--timings`, the
/// CPU time it spent in each role.
final class RunnerThread: @unchecked Sendable {
    let index: Int
    let worker: StageWorker?
    let timed: Bool
    private(set) var reading = 0.0
    private(set) var deciding = 0.0
    private(set) var applying = 0.0
    /// CPU time of every job so far, to take jobs done inside a read out of its time.
    private var jobs = 0.0

    init(index: Int, worker: StageWorker?, timed: Bool) {
        self.index = index
        self.worker = worker
        self.timed = timed
    }

    /// The three jobs a thread takes in turn.
    enum Role { case reading, deciding, applying }

    /// Runs `body` as a job of `role`, adding its CPU time to that role.
    @inline(__always)
    func timing(_ role: Role, _ body: () -> Void) {
        guard timed else { return body() }
        let start = WorkerThread.currentCPUSeconds()
        let jobsBefore = jobs
        body()
        let spent = WorkerThread.currentCPUSeconds() - start
        // A read that waited for earlier units to be applied did those jobs itself: they count
        // in their own roles, not in this one.
        let nested = jobs - jobsBefore
        switch role {
        case .reading: reading += spent - nested
        case .deciding: deciding += spent - nested
        case .applying: applying += spent - nested
        }
        jobs = jobsBefore + spent
    }

    /// The `--timings` line: CPU by role, summed over the threads.
    static func roleLine(_ threads: [RunnerThread]) -> String {
        let sum = { (role: KeyPath<RunnerThread, Double>) in
            TimingSummary.seconds(threads.map { $0[keyPath: role] }.reduce(0, +))
        }
        return
            "cpu by role: reading \(sum(\.reading)) s, deciding \(sum(\.deciding)) s, applying in input order \(sum(\.applying)) s (sums over \(threads.count) thread(s))"
    }
}

extension RecordRunner {
    /// A thread's loop: takes jobs until the run is over or stops.
    func work(_ me: RunnerThread, _ context: RunContext) {
        while let job = context.scheduler.nextJob(thread: me.index) { perform(job, me, context) }
        context.scheduler.threadEnded(me.index)
    }

    private func perform(_ job: UnitScheduler.Job, _ me: RunnerThread, _ context: RunContext) {
        let scheduler = context.scheduler
        switch job {
        case .read(let unit):
            var own: WorkUnit?
            me.timing(.reading) {
                context.reader = me
                switch context.feeder.fill(unit) {
                case .filled: own = scheduler.submit(unit)
                case .failed: scheduler.failReading(unit)
                case .ended: scheduler.finishReading(returning: unit)
                }
            }
            // The unit's lines are in this core's caches: it is decided here (`submit`).
            if let own { perform(.decide(own), me, context) }
        case .decide(let unit):
            me.timing(.deciding) {
                me.worker!.decide(unit)
                scheduler.markDecided(unit)
            }
        case .apply(let unit):
            me.timing(.applying) {
                do {
                    if let failure = unit.failure { throw failure }
                    if !scheduler.usesWorkers { context.primary.decide(unit) }
                    try apply(unit, outputs: context.outputs)
                    context.advance(
                        input: unit.inputIndex, of: configuration.inputs, bytesConsumed: unit.bytesConsumed,
                        records: tally.read)
                    scheduler.applied(unit)
                } catch {
                    scheduler.fail(error)
                }
            }
        }
    }

    /// For the reading thread, before an overlong line streams into `--rejects`: does the jobs
    /// that remain until every unit before it was applied; false when the run is stopping.
    func drainBeforeStreaming(_ context: RunContext) -> Bool {
        guard let me = context.reader else { return context.scheduler.isRunning }
        while let job = context.scheduler.nextJobBeforeStreaming() { perform(job, me, context) }
        return context.scheduler.isRunning
    }
}
