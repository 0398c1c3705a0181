import CSystem

#if canImport(Glibc)
    import Glibc
#endif

/// How many worker threads `--threads N` means.
public enum ThreadCount {
    /// The most `--threads` accepts.
    public static let maximum = 1024

    /// `n` worker threads, or for 0 one per CPU this process may run on: its affinity mask, so
    /// `taskset` and container cpusets are honoured (not the machine's core count).
    public static func resolve(_ n: Int) -> Int {
        if n > 0 { return min(n, maximum) }
        return max(1, min(Int(soc_affinity_cpu_count()), maximum))
    }
}

/// A mutex with one condition variable: the runner's only synchronisation (a few waits per work
/// unit, so contention does not matter).
final class Condition: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Runs `body` holding the lock.
    func locked<R>(_ body: () throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Waits (holding the lock, inside `locked`) until woken.
    func wait() { pthread_cond_wait(condition, mutex) }

    /// Wakes every waiter (the state they wait on changed).
    func broadcast() { pthread_cond_broadcast(condition) }
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
