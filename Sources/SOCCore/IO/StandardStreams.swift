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

    /// What SIGBUS prints: the tool's name and the file last mapped (`MappedFile`), as C strings
    /// set before any thread reads them.
    private nonisolated(unsafe) static var busTool: UnsafeMutablePointer<CChar>? = strdup("soc-tools")
    private nonisolated(unsafe) static var busInput: UnsafeMutablePointer<CChar>?

    /// SIGBUS comes when a mapped input file lost pages (another program truncated it while it
    /// was read): an I/O error, not a crash. Removes the registered files, says so on stderr and
    /// exits with status 3. Only async-signal-safe calls (unlink, write, _exit).
    private static let busHandler: @convention(c) (Int32) -> Void = { _ in
        for k in 0..<TemporaryFiles.capacity {
            if let path = TemporaryFiles.slots[k] { unlink(path) }
        }
        func say(_ text: UnsafePointer<CChar>?) {
            guard let text else { return }
            _ = Glibc.write(2, text, strlen(text))
        }
        say(TemporaryFiles.busTool)
        say(": ")
        if let input = TemporaryFiles.busInput {
            say(input)
            say(": ")
        }
        say("the input file shrank while it was read (SIGBUS); nothing was committed\n")
        _exit(3)
    }

    /// Installs the handler for SIGINT, SIGTERM and SIGHUP, and unblocks them (a blocked mask can
    /// be inherited from the parent; the tool must still stop when asked), and the SIGBUS handler
    /// for mapped inputs. Call once, at start, before any thread is made.
    public static func removeOnSignals(tool: String = "soc-tools") {
        _ = slots
        busTool = strdup(tool)
        var set = sigset_t()
        sigemptyset(&set)
        for signal in [SIGINT, SIGTERM, SIGHUP] {
            Glibc.signal(signal, handler)
            sigaddset(&set, signal)
        }
        Glibc.signal(SIGBUS, busHandler)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// Names the input being mapped, for the SIGBUS message (the old name is kept, never freed:
    /// a handler may be reading it).
    static func noteMappedInput(_ name: String) {
        busInput = strdup(name)
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
