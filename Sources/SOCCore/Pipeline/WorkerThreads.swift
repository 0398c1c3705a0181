import CSystem

#if canImport(Glibc)
    import Glibc
#endif

/// How many threads `--threads N` means.
public enum ThreadCount {
    /// The most `--threads` accepts.
    public static let maximum = 1024

    /// `n` threads, or for 0 one per CPU this process may run on: its affinity mask, so
    /// `taskset` and container cpusets are honoured (not the machine's core count).
    public static func resolve(_ n: Int) -> Int {
        if n > 0 { return min(n, maximum) }
        return max(1, min(Int(soc_affinity_cpu_count()), maximum))
    }
}

/// Who waits on the runner's one lock: each kind of wait has a condition variable of its own,
/// so a change wakes only a thread that can act on it (one shared variable woke every thread on
/// every change: about three futex wake-ups per unit for nothing).
enum Waiter: Int, CaseIterable {
    /// A thread waiting for a job (a unit to read, decide or apply).
    case idle
    /// The reading thread, waiting for every unit before an overlong line to be applied.
    case reader
    /// The thread that started the run, waiting for the others to end.
    case main
}

/// A mutex with a condition variable per kind of waiter: the runner's only synchronisation (a
/// few waits per work unit, so contention does not matter).
final class Condition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let conditions = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: Waiter.allCases.count)

    init() {
        pthread_mutex_init(mutex, nil)
        for k in Waiter.allCases.indices { pthread_cond_init(conditions + k, nil) }
    }

    deinit {
        for k in Waiter.allCases.indices { pthread_cond_destroy(conditions + k) }
        pthread_mutex_destroy(mutex)
        conditions.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` holding the lock.
    func locked<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Waits (holding the lock, inside `locked`) until `waiter`'s variable is signalled.
    func wait(_ waiter: Waiter) { pthread_cond_wait(conditions + waiter.rawValue, mutex) }

    /// Wakes one thread waiting as `waiter` (inside `locked`).
    func signal(_ waiter: Waiter) { pthread_cond_signal(conditions + waiter.rawValue) }

    /// Wakes every thread waiting as `waiter` (inside `locked`).
    func broadcast(_ waiter: Waiter) { pthread_cond_broadcast(conditions + waiter.rawValue) }

    /// Wakes every waiting thread (the run is ending or stopping).
    func broadcastAll() {
        for waiter in Waiter.allCases { broadcast(waiter) }
    }
}

/// A joinable thread running a closure.
final class WorkerThread: @unchecked Sendable {
    private var thread = pthread_t()
    private let body: () -> Void
    /// CPU seconds the thread used, once it ended (for `--timings`).
    private(set) var cpuSeconds = 0.0

    init(_ body: @escaping () -> Void) {
        self.body = body
    }

    /// Starts the thread (with a 8 MiB stack, as the main thread has: the parser and the
    /// schema validator recurse up to --max-depth).
    func start() {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        pthread_attr_setstacksize(&attributes, 8 << 20)
        let context = Unmanaged.passRetained(self).toOpaque()
        let result = pthread_create(
            &thread, &attributes,
            { context in
                let me = Unmanaged<WorkerThread>.fromOpaque(context!).takeRetainedValue()
                me.body()
                me.cpuSeconds = WorkerThread.currentCPUSeconds()
                return nil
            }, context)
        pthread_attr_destroy(&attributes)
        precondition(result == 0, "cannot start a thread: \(result)")
    }

    /// CPU seconds used so far by the calling thread.
    static func currentCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Waits for the thread to end.
    func join() { pthread_join(thread, nil) }

    /// Lets the thread end on its own (it may be blocked reading an input no one will close).
    func detach() { pthread_detach(thread) }
}
