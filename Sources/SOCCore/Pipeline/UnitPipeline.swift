/// The hand-over of work units between the reader thread, the worker threads and the writer
/// (the thread that applies verdicts in input order): a fixed number of units circulate, so
/// memory stays bounded whatever the input or the thread count.
///
/// ```
/// reader ──► unit k+1 ─► [to decide] ─► workers ─► unit k ─► [decided, by sequence] ─► writer: unit k−1
///    ▲                                                                                        │
///    └──────────────────────────────────── free units ◄──────────────────────────────────────┘
/// ```
final class UnitPipeline: @unchecked Sendable {
    private let condition = Condition()
    private var free: [WorkUnit]
    private var toDecide: [WorkUnit] = []
    private var toDecideHead = 0
    private var decided: [Int: WorkUnit] = [:]
    private var submitted = 0
    private var applied = 0
    private var readingDone = false
    /// Mapped windows that recycled units no longer point into (`takeToDecide` drops them).
    private var released: [AnyObject] = []
    private var stopping = false
    /// When false, units skip the workers: the writer decides them itself (a stage that cannot be split).
    private let usesWorkers: Bool

    init(units: Int, limits: BatchLimits, usesWorkers: Bool) {
        free = (0..<max(2, units)).map { _ in WorkUnit(limits: limits) }
        self.usesWorkers = usesWorkers
    }

    // MARK: Reader

    /// A free unit to fill, waiting for one; nil when the run is stopping.
    func takeFree() -> WorkUnit? {
        condition.locked {
            while free.isEmpty && !stopping { condition.wait(.reader) }
            guard !stopping else { return nil }
            let unit = free.removeLast()
            // Its mapped windows are dropped by the next worker (unmapping is not the reader's work).
            if usesWorkers { unit.lines.handOverOwners(to: &released) }
            unit.reset()
            return unit
        }
    }

    /// Hands a filled unit on, numbered in input order.
    func submit(_ unit: WorkUnit) {
        condition.locked {
            unit.sequence = submitted
            submitted += 1
            if usesWorkers && unit.failure == nil && !unit.lines.isEmpty {
                toDecide.append(unit)
                condition.signal(.workers)
            } else {
                decided[unit.sequence] = unit
                if unit.sequence == applied { condition.signal(.writer) }
            }
        }
    }

    /// Gives back a unit the reader took but did not fill (its input ended).
    func recycleUnsubmitted(_ unit: WorkUnit) {
        condition.locked {
            free.append(unit)
        }
    }

    /// No more units will come.
    func finishReading() {
        condition.locked {
            readingDone = true
            condition.broadcast(.workers)
            condition.signal(.writer)
        }
    }

    /// Waits until every unit submitted so far was applied (before an overlong line streams into
    /// `--rejects`); false when the run is stopping.
    func waitUntilAllApplied() -> Bool {
        condition.locked {
            while applied < submitted && !stopping { condition.wait(.reader) }
            return !stopping
        }
    }

    // MARK: Workers

    /// The next unit to decide, waiting for one; nil when there will be none. Drops the mapped
    /// windows that units let go of (after the lock: unmapping one takes a while).
    func takeToDecide() -> WorkUnit? {
        var windows: [AnyObject] = []
        defer { withExtendedLifetime(windows) {} }
        return condition.locked {
            swap(&windows, &released)
            while toDecideHead == toDecide.count && !readingDone && !stopping { condition.wait(.workers) }
            guard !stopping, toDecideHead < toDecide.count else { return nil }
            let unit = toDecide[toDecideHead]
            toDecideHead += 1
            if toDecideHead == toDecide.count {
                toDecide.removeAll(keepingCapacity: true)
                toDecideHead = 0
            }
            return unit
        }
    }

    /// A worker finished deciding `unit`.
    func markDecided(_ unit: WorkUnit) {
        condition.locked {
            decided[unit.sequence] = unit
            // Only the next unit in input order lets the writer go on.
            if unit.sequence == applied { condition.signal(.writer) }
        }
    }

    // MARK: Writer

    /// The next unit in input order once it is decided (or, without workers, once it is read);
    /// nil after the last one.
    func nextInOrder() -> WorkUnit? {
        condition.locked {
            while decided[applied] == nil && !(readingDone && applied == submitted) && !stopping {
                condition.wait(.writer)
            }
            guard !stopping, let unit = decided.removeValue(forKey: applied) else { return nil }
            return unit
        }
    }

    /// The writer is done with `unit`: it goes back to the reader.
    func recycle(_ unit: WorkUnit) {
        condition.locked {
            applied += 1
            free.append(unit)
            // The reader waits for a free unit, or for every unit to be written: one thread.
            condition.signal(.reader)
        }
    }

    /// Stops the run: every wait returns.
    func stop() {
        condition.locked {
            stopping = true
            condition.broadcastAll()
        }
    }
}
