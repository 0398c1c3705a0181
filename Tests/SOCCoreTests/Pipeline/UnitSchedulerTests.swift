import Foundation
import Testing

@testable import SOCCore

/// The scheduler alone, driven by threads that do fake jobs: N threads keep at most N jobs
/// running, one read and one apply at a time, units applied in input order, memory bounded by
/// the units, and a stop that does not wait for a reader blocked on its input.
@Suite struct UnitSchedulerTests {
    /// What the driving threads saw, under one lock.
    final class Journal: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var jobs: [String] = []
        private(set) var appliedSequences: [Int] = []
        private(set) var units = Set<ObjectIdentifier>()
        private(set) var most = (jobs: 0, reads: 0, applies: 0)
        /// Per unit (by sequence), the thread that decided it.
        private(set) var decidedBy: [Int: Int] = [:]

        func decided(_ unit: WorkUnit, by thread: Int) {
            lock.withLock { decidedBy[unit.sequence] = thread }
        }
        private var now = (jobs: 0, reads: 0, applies: 0)

        func begin(_ job: UnitScheduler.Job) {
            lock.withLock {
                now.jobs += 1
                switch job {
                case .read(let unit):
                    now.reads += 1
                    units.insert(ObjectIdentifier(unit))
                    jobs.append("read")
                case .decide: jobs.append("decide")
                case .apply(let unit):
                    now.applies += 1
                    appliedSequences.append(unit.sequence)
                    jobs.append("apply")
                }
                most = (max(most.jobs, now.jobs), max(most.reads, now.reads), max(most.applies, now.applies))
            }
        }

        func end(_ job: UnitScheduler.Job) {
            lock.withLock {
                now.jobs -= 1
                if case .read = job { now.reads -= 1 }
                if case .apply = job { now.applies -= 1 }
            }
        }
    }

    /// Runs `threads` threads over `count` one-line units; deciding takes a seeded, varying time,
    /// so units finish out of order.
    func drive(threads: Int, count: Int, unitsInFlight: Int, readerDecides: Bool = true) -> (Journal, UnitScheduler) {
        let scheduler = UnitScheduler(
            threads: threads, units: unitsInFlight, limits: BatchLimits(lines: 4, bytes: 64), usesWorkers: true,
            readerDecides: readerDecides)
        let journal = Journal()
        let lock = NSLock()
        var filled = 0
        let line: [UInt8] = Array("{}".utf8)
        let handles = (0..<threads).map { index in
            WorkerThread {
                func decide(_ unit: WorkUnit) {
                    journal.decided(unit, by: index)
                    usleep(UInt32((unit.sequence * 7_919) % 5) * 200)
                }
                while let job = scheduler.nextJob(thread: index) {
                    journal.begin(job)
                    switch job {
                    case .read(let unit):
                        let k = lock.withLock {
                            filled += 1
                            return filled
                        }
                        if k > count {
                            journal.end(job)
                            scheduler.finishReading(returning: unit)
                            continue
                        }
                        line.withUnsafeBytes { unit.lines.append($0, number: k, counted: 3, overlongLength: nil) }
                        journal.end(job)
                        if let own = scheduler.submit(unit) {
                            // As the runner does: the reader decides the unit it was given back.
                            journal.begin(.decide(own))
                            decide(own)
                            journal.end(.decide(own))
                            scheduler.markDecided(own)
                        }
                    case .decide(let unit):
                        decide(unit)
                        journal.end(job)
                        scheduler.markDecided(unit)
                    case .apply(let unit):
                        journal.end(job)
                        scheduler.applied(unit)
                    }
                }
                scheduler.threadEnded(index)
            }
        }
        for handle in handles { handle.start() }
        let ended = scheduler.waitForThreads()
        #expect(ended.allSatisfy { $0 })
        for handle in handles { handle.join() }
        return (journal, scheduler)
    }

    @Test func oneThreadReadsDecidesAndAppliesEachUnitInTurn() {
        let (journal, scheduler) = drive(threads: 1, count: 50, unitsInFlight: 4)
        #expect(scheduler.failure == nil)
        #expect(journal.jobs == Array(repeating: ["read", "decide", "apply"], count: 50).flatMap { $0 } + ["read"])
        #expect(journal.appliedSequences == Array(0..<50))
    }

    @Test func nThreadsRunAtMostNJobsAndApplyInInputOrder() {
        for threads in [2, 3, 8] {
            for readerDecides in [true, false] {
                let unitsInFlight = threads + min(threads, 8) + 2
                let (journal, scheduler) = drive(
                    threads: threads, count: 400, unitsInFlight: unitsInFlight, readerDecides: readerDecides)
                let name = "threads \(threads), reader decides \(readerDecides)"
                #expect(scheduler.failure == nil)
                #expect(journal.appliedSequences == Array(0..<400), "\(name)")
                #expect(journal.most.jobs <= threads, "\(name)")
                #expect(journal.most.reads == 1 && journal.most.applies == 1, "\(name)")
                #expect(journal.units.count <= unitsInFlight, "memory is bounded by the units in flight")
                #expect(journal.jobs.filter { $0 == "decide" }.count == 400)
            }
        }
    }

    @Test func everyUnitIsDecidedOnceWhoeverReadIt() {
        let (journal, scheduler) = drive(threads: 3, count: 300, unitsInFlight: 9)
        #expect(scheduler.failure == nil)
        #expect(journal.decidedBy.count == 300)
        #expect(journal.jobs.filter { $0 == "decide" }.count == 300)
    }

    /// Reads one `{}` line into the unit of a read job for `thread`.
    func read(_ scheduler: UnitScheduler, thread: Int) -> WorkUnit? {
        guard case .read(let unit) = scheduler.nextJob(thread: thread) else { return nil }
        Array("{}".utf8).withUnsafeBytes { unit.lines.append($0, number: 1, counted: 3, overlongLength: nil) }
        return unit
    }

    @Test func theThreadThatReadAUnitDecidesItAndAWaitingThreadReadsOn() throws {
        // Its lines are in that core's caches (`UnitScheduler.submit`). A thread with nothing to
        // do (here: waiting while thread 0 holds the reading role) is not kept waiting for the
        // unit's decision: the unit waits in line, the waiting thread reads the next one, and
        // the reader takes its unit from the line.
        let scheduler = UnitScheduler(
            threads: 2, units: 4, limits: BatchLimits(lines: 4, bytes: 64), usesWorkers: true)
        let first = try #require(read(scheduler, thread: 0))
        #expect(scheduler.submit(first) === first, "no thread waits: the reader decides it")
        let second = try #require(read(scheduler, thread: 0))
        let given = Box()
        let other = WorkerThread { given.job = scheduler.nextJob(thread: 1) }
        other.start()
        while scheduler.waitingThreads == 0 { usleep(100) }
        #expect(scheduler.submit(second) == nil, "thread 1 waits: the unit waits in line")
        other.join()
        guard case .read = given.job else {
            Issue.record("thread 1 got \(String(describing: given.job))")
            return
        }
        guard case .decide(let unit) = scheduler.nextJob(thread: 0) else {
            Issue.record("thread 0 got no unit to decide")
            return
        }
        #expect(unit === second)
    }

    final class Box: @unchecked Sendable { var job: UnitScheduler.Job? }

    @Test func aThreadIsHandedBackTheFreeUnitItUsedLast() {
        // A free unit last used by the reading thread is taken before the others.
        let scheduler = UnitScheduler(
            threads: 2, units: 4, limits: BatchLimits(lines: 4, bytes: 64), usesWorkers: true)
        let line: [UInt8] = Array("{}".utf8)
        func cycle(_ thread: Int) -> WorkUnit {
            guard case .read(let unit) = scheduler.nextJob(thread: thread) else {
                Issue.record("no read for thread \(thread)")
                return WorkUnit(limits: BatchLimits(lines: 1, bytes: 1))
            }
            line.withUnsafeBytes { unit.lines.append($0, number: 1, counted: 3, overlongLength: nil) }
            let own = scheduler.submit(unit)
            #expect(own === unit)
            scheduler.markDecided(unit)
            guard case .apply(let applied) = scheduler.nextJob(thread: thread) else {
                Issue.record("no apply for thread \(thread)")
                return unit
            }
            scheduler.applied(applied)
            return unit
        }
        let first = cycle(0)
        let second = cycle(1)
        #expect(first !== second)
        // Both are free now (the one thread 1 used last on top): each thread gets its own back.
        #expect(cycle(0) === first)
        #expect(cycle(1) === second)
    }

    @Test func aStopDoesNotWaitForAReaderBlockedOnItsInput() {
        let scheduler = UnitScheduler(
            threads: 2, units: 6, limits: BatchLimits(lines: 4, bytes: 64), usesWorkers: true)
        let inputArrives = DispatchSemaphore(value: 0)
        let readerBlocked = DispatchSemaphore(value: 0)
        let handles = (0..<2).map { index in
            WorkerThread {
                while let job = scheduler.nextJob(thread: index) {
                    guard case .read(let unit) = job else { continue }
                    readerBlocked.signal()
                    inputArrives.wait()  // a read(2) on an input that nothing writes to
                    scheduler.finishReading(returning: unit)
                }
                scheduler.threadEnded(index)
            }
        }
        for handle in handles { handle.start() }
        readerBlocked.wait()
        struct Broken: Error {}
        scheduler.fail(Broken())
        let ended = scheduler.waitForThreads()
        #expect(ended.filter { $0 }.count == 1, "the idle thread ended, the blocked reader did not")
        #expect(scheduler.failure is Broken)
        // Let the reader go: it sees the stop and ends too.
        inputArrives.signal()
        for (handle, done) in zip(handles, ended) where done { handle.join() }
    }

    @Test func theReaderDrainsEarlierUnitsItselfBeforeStreaming() {
        // Before an overlong line streams into --rejects, the units read before it must be
        // applied; the reading thread does that work itself when no other thread can (here the
        // scheduler plans for 2 threads, so it reads ahead, but the second one ends at once).
        // Units wait in line here (`readerDecides: false`): a reader that decides its own
        // units has none of its own left to drain.
        let scheduler = UnitScheduler(
            threads: 2, units: 6, limits: BatchLimits(lines: 4, bytes: 64), usesWorkers: true, readerDecides: false)
        scheduler.threadEnded(1)
        var kinds: [String] = []
        var read = 0
        let line: [UInt8] = Array("{}".utf8)
        func perform(_ job: UnitScheduler.Job) {
            switch job {
            case .decide(let unit):
                kinds.append("decide \(unit.sequence)")
                scheduler.markDecided(unit)
            case .apply(let unit):
                kinds.append("apply \(unit.sequence)")
                scheduler.applied(unit)
            case .read(let unit):
                read += 1
                guard read == 3 else {
                    line.withUnsafeBytes { unit.lines.append($0, number: read, counted: 3, overlongLength: nil) }
                    #expect(scheduler.submit(unit) == nil)
                    return
                }
                // The third read meets an overlong line: drain first (never reading meanwhile).
                while let early = scheduler.nextJobBeforeStreaming() {
                    if case .read = early { Issue.record("a read while draining") }
                    perform(early)
                }
                kinds.append("stream")
                scheduler.finishReading(returning: unit)
            }
        }
        let thread = WorkerThread {
            while let job = scheduler.nextJob(thread: 0) { perform(job) }
            scheduler.threadEnded(0)
        }
        thread.start()
        #expect(scheduler.waitForThreads() == [true, true])
        thread.join()
        #expect(kinds == ["decide 0", "apply 0", "decide 1", "apply 1", "stream"])
    }
}
