/// Who does what next among the run's threads: every thread takes the jobs in turn (read the
/// next unit, decide a unit, apply the next unit in input order), so `--threads N` keeps N
/// threads busy and no more, and reading, deciding and writing still overlap on different threads.
/// The thread that read a unit decides it (`submit`), and a thread reads into the free unit it
/// used last (`takeFree`), so a unit's bytes stay in one core's caches.
///
/// ```
/// read (one thread at a time) ─► unit k+1 ─► decide (the same thread) ─► unit k
///    ▲                                                                     │
///    │                  apply (one thread at a time, input order) ◄── [decided, by sequence]
///    └──────────────── free units ◄── unit k−1 ◄──────────────┘
/// ```
///
/// A fixed number of units circulate, so memory stays bounded whatever the input or the thread
/// count. Applying comes first (it is serial and frees units), then reading while fewer units
/// wait to be decided than there are threads (so no thread starves), then deciding.
/// One dedicated reader and writer beside N deciders ran N + 2 threads on N cores: they preempted
/// each other (on 2 cores, twice the context switches at `--threads 2`), and `--threads 1`
/// used more than one core.
final class UnitScheduler: @unchecked Sendable {
    /// A job for one thread.
    enum Job {
        /// Fill this free unit from the inputs (the thread holds the reading role until it
        /// calls `submit`, `finishReading` or `failReading`).
        case read(WorkUnit)
        /// Decide this unit's lines (`markDecided` after).
        case decide(WorkUnit)
        /// Apply this unit, the next in input order (the thread holds the applying role until
        /// it calls `applied`).
        case apply(WorkUnit)
    }

    private let condition = Condition()
    private let threads: Int
    private var free: [WorkUnit]
    private var toDecide: [WorkUnit] = []
    private var toDecideHead = 0
    private var decided: [Int: WorkUnit] = [:]
    private var submitted = 0
    private var appliedCount = 0
    private var reading = false
    private var applying = false
    private var readingDone = false
    /// The reading thread waits for every unit before it to be applied (an overlong line is
    /// about to stream into `--rejects`).
    private var readerDraining = false
    /// Threads waiting in `nextJob` for something to do.
    private var waiting = 0
    /// Mapped windows that recycled units no longer point into (dropped by the next decider).
    private var released: [AnyObject] = []
    private var stopping = false
    private(set) var failure: (any Error)?
    /// Threads still in `nextJob` loops, and which ones ended.
    private var running: Int
    private var ended: [Bool]
    /// The thread holding the reading role (it may be blocked in `read(2)` when the run stops).
    private var reader = -1
    /// When false, units skip deciding: the applying thread decides them itself (a stage that
    /// cannot be split).
    let usesWorkers: Bool

    /// The thread that read a unit decides it (`submit` returns it); when false, units wait in
    /// line for any thread (the tests drive both).
    let readerDecides: Bool

    init(threads: Int, units: Int, limits: BatchLimits, usesWorkers: Bool, readerDecides: Bool = true) {
        self.threads = threads
        free = (0..<max(2, units)).map { _ in WorkUnit(limits: limits) }
        self.usesWorkers = usesWorkers
        self.readerDecides = readerDecides
        running = threads
        ended = Array(repeating: false, count: threads)
    }

    /// The next job for thread `thread`, waiting for one; nil when the run is over or stopping.
    func nextJob(thread: Int) -> Job? {
        var windows: [AnyObject] = []
        defer { withExtendedLifetime(windows) {} }
        return condition.locked {
            while !stopping {
                if !applying, let unit = decided.removeValue(forKey: appliedCount) {
                    applying = true
                    return .apply(unit)
                }
                let queued = toDecide.count - toDecideHead
                let mayRead = !reading && !readingDone && !free.isEmpty
                if mayRead && queued < threads { return .read(takeFree(thread)) }
                if queued > 0 {
                    // Unmapping a window takes a while: after the lock, on a decider.
                    swap(&windows, &released)
                    return .decide(takeToDecide())
                }
                if mayRead { return .read(takeFree(thread)) }
                if readingDone && !reading && !applying && appliedCount == submitted { return nil }
                waiting += 1
                condition.wait(.idle)
                waiting -= 1
            }
            return nil
        }
    }

    /// For the reading thread before an overlong line streams into `--rejects`: the next job
    /// (deciding or applying, never reading) while units submitted before are not all applied;
    /// nil once they are (then `allApplied` says whether the run goes on).
    func nextJobBeforeStreaming() -> Job? {
        var windows: [AnyObject] = []
        defer { withExtendedLifetime(windows) {} }
        return condition.locked {
            readerDraining = true
            defer { readerDraining = false }
            while !stopping && appliedCount < submitted {
                if !applying, let unit = decided.removeValue(forKey: appliedCount) {
                    applying = true
                    return .apply(unit)
                }
                if toDecideHead < toDecide.count {
                    swap(&windows, &released)
                    return .decide(takeToDecide())
                }
                condition.wait(.reader)
            }
            return nil
        }
    }

    /// How many threads wait in `nextJob` for something to do (for the tests).
    var waitingThreads: Int { condition.locked { waiting } }

    /// False when the run is stopping.
    var isRunning: Bool { condition.locked { !stopping } }

    // MARK: Reading

    private func takeFree(_ thread: Int) -> WorkUnit {
        reading = true
        reader = thread
        // The unit this thread used last, when it is free: its decisions and rewritten lines
        // are written again from this core's caches, not pulled from another core's. Else one
        // no thread used yet, else the one freed last.
        let mine = free.lastIndex { $0.lastThread == thread } ?? free.lastIndex { $0.lastThread < 0 } ?? free.count - 1
        let unit = free.remove(at: mine)
        unit.lastThread = thread
        // Its mapped windows are dropped by the next decider (unmapping is not the reader's work).
        if usesWorkers { unit.lines.handOverOwners(to: &released) }
        unit.reset()
        return unit
    }

    /// Hands a filled unit on, numbered in input order, and gives up the reading role. Returns
    /// the unit when the thread that read it is to decide it now (`perform` does): its lines
    /// were just scanned on this core, so they are still in its caches. Handed to whichever
    /// thread came next, the unit was parsed from another core's cache: on the 100 MB realistic
    /// bench file at `--threads 2`, soc-scrub's deciding CPU was 8% above `--threads 1`, most
    /// of it in the parser's loads of the input (perf, cpu-clock samples). When a thread waits
    /// for work (at the start, or while a read maps the next window of a file), the unit waits
    /// in line instead: the waiting thread takes the reading role at once (`nextJob` reads
    /// first), and the reader its unit from the line.
    func submit(_ unit: WorkUnit) -> WorkUnit? {
        var windows: [AnyObject] = []
        defer { withExtendedLifetime(windows) {} }
        return condition.locked {
            reading = false
            // A reader may take the role now, or a thread the unit.
            defer { condition.signal(.idle) }
            guard
                readerDecides && waiting == 0 && usesWorkers && unit.failure == nil && !unit.lines.isEmpty
                    && !readerDraining
            else {
                enqueue(unit)
                return nil
            }
            unit.sequence = submitted
            submitted += 1
            // Unmapping a window takes a while: after the lock (as `nextJob` does for a decider).
            swap(&windows, &released)
            return unit
        }
    }

    /// The inputs ended: `unit` (taken, not filled) goes back; no more units will come.
    func finishReading(returning unit: WorkUnit) {
        condition.locked {
            reading = false
            readingDone = true
            free.append(unit)
            condition.broadcast(.idle)
        }
    }

    /// Hands on `unit`, which carries why reading stopped (`failure`); no more units will come.
    func failReading(_ unit: WorkUnit) {
        condition.locked {
            reading = false
            readingDone = true
            enqueue(unit)
            condition.broadcast(.idle)
        }
    }

    private func enqueue(_ unit: WorkUnit) {
        unit.sequence = submitted
        submitted += 1
        if usesWorkers && unit.failure == nil && !unit.lines.isEmpty {
            toDecide.append(unit)
        } else {
            decided[unit.sequence] = unit
        }
        if readerDraining { condition.signal(.reader) }
    }

    // MARK: Deciding

    private func takeToDecide() -> WorkUnit {
        let unit = toDecide[toDecideHead]
        toDecideHead += 1
        if toDecideHead == toDecide.count {
            toDecide.removeAll(keepingCapacity: true)
            toDecideHead = 0
        }
        return unit
    }

    /// A thread finished deciding `unit`.
    func markDecided(_ unit: WorkUnit) {
        condition.locked {
            decided[unit.sequence] = unit
            // Only the next unit in input order lets a thread apply.
            if unit.sequence == appliedCount && !applying {
                condition.signal(.idle)
                if readerDraining { condition.signal(.reader) }
            }
        }
    }

    // MARK: Applying

    /// The applying thread is done with `unit`: it goes back to the free units and the thread
    /// gives up the applying role.
    func applied(_ unit: WorkUnit) {
        condition.locked {
            appliedCount += 1
            applying = false
            free.append(unit)
            // A free unit (a read), the next decided unit, or the end: one waiter acts, and the
            // thread that applied looks again itself.
            condition.signal(.idle)
            if appliedCount == submitted && readingDone { condition.broadcast(.idle) }
            if readerDraining { condition.signal(.reader) }
        }
    }

    // MARK: Ending

    /// Stops the run for `error` (the first one wins): every wait returns.
    func fail(_ error: any Error) {
        condition.locked {
            if failure == nil { failure = error }
            stopping = true
            condition.broadcastAll()
        }
    }

    /// Thread `thread` left its job loop.
    func threadEnded(_ thread: Int) {
        condition.locked {
            running -= 1
            ended[thread] = true
            condition.signal(.main)
        }
    }

    /// Waits (on the thread that started the others) until every thread ended, or, when the
    /// run stops, until only a reader that may be blocked on an input no one closes is left.
    /// Returns which threads ended (join them; the others are left to end with the process).
    func waitForThreads() -> [Bool] {
        condition.locked {
            while running > 0 && !(stopping && running == 1 && reading && !ended[reader]) {
                condition.wait(.main)
            }
            return ended
        }
    }
}
