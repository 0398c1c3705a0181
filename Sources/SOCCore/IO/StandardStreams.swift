#if canImport(Glibc)
    import Glibc
#endif

/// The process's standard streams as they were when it started.
public enum StandardStreams {
    /// Standard output was closed at start (`>&-`): records must not go there.
    public nonisolated(unsafe) private(set) static var outputWasClosed = false

    /// Puts `/dev/null` on any of fds 0, 1, 2 that is closed, so that no file opened later takes
    /// that number (a `--rejects` file on fd 1 would receive every record). Call first thing.
    public static func guardClosedDescriptors() {
        for fd: Int32 in 0...2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let opened = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            if opened >= 0 && opened != fd {
                _ = dup2(opened, fd)
                _ = close(opened)
            }
            if fd == 1 { outputWasClosed = true }
        }
    }
}

/// The temporary files of outputs not yet committed, so that SIGINT, SIGTERM and SIGHUP remove
/// them before the process dies by the same signal. The signal handler only reads a fixed table
/// of C strings and calls unlink(2) and raise(3), which are async-signal-safe.
public enum TemporaryFiles {
    private static let capacity = 256
    private nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let table = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        table.initialize(repeating: nil, count: capacity)
        return table
    }()
    private nonisolated(unsafe) static var lock = pthread_mutex_t()

    /// Removes the registered files and dies by the signal (the default action).
    private static let handler: @convention(c) (Int32) -> Void = { signal in
        for k in 0..<TemporaryFiles.capacity {
            if let path = TemporaryFiles.slots[k] { unlink(path) }
        }
        Glibc.signal(signal, SIG_DFL)
        raise(signal)
    }

    /// Installs the handler for SIGINT, SIGTERM and SIGHUP, and unblocks them (a blocked mask can
    /// be inherited from the parent; the tool must still stop when asked). Call once, at start,
    /// before any thread is made.
    public static func removeOnSignals() {
        _ = slots
        var set = sigset_t()
        sigemptyset(&set)
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            Glibc.signal(signal, handler)
            sigaddset(&set, signal)
        }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Removes every registered file now; async-signal-safe (for a signal handler that ends the
    /// process some other way, such as SIGBUS's in `ToolMain`).
    public static func removeAll() {
        for k in 0..<capacity {
            if let path = slots[k] { unlink(path) }
        }
    }

    /// Registers `path`; returns its slot for `unregister` (nil when the table is full: the file
    /// is then only removed on a normal exit).
    static func register(_ path: String) -> Int? {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        for k in 0..<capacity where slots[k] == nil {
            // Never freed: a handler on another thread may be reading it.
            slots[k] = strdup(path)
            return k
        }
        return nil
    }

    /// Forgets a file (committed or removed).
    static func unregister(_ slot: Int?) {
        guard let slot else { return }
        pthread_mutex_lock(&lock)
        slots[slot] = nil
        pthread_mutex_unlock(&lock)
    }
}
