#if canImport(Glibc)
    import Glibc
#endif

/// Where every diagnostic line of the process goes, in the one format `--diagnostics` chose:
/// stderr, or the `--diagnostics-file`. Records' diagnoses, notices, the tool's own failures,
/// failed gates, summaries and timings all pass through here, so a `json` run writes nothing
/// but JSON objects and a `sarif` run nothing but its document.
///
/// One per process (`shared`): `ToolMain` names the tool and guesses the format from the raw
/// arguments (so even a usage error comes out in it), `DiagnosticOptions` sets it once parsed,
/// and `ToolMain` calls `finish` just before the process exits. Lines may come from any thread.
public final class DiagnosticChannel: @unchecked Sendable {
    public static let shared = DiagnosticChannel()

    // Allocated, not a stored struct: a pthread mutex must not move.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        return mutex
    }()
    private var state = State()

    private struct State {
        var tool = "soc-tools"
        var format = DiagnosticFormat.text
        var filePath: String?
        var descriptor: Int32 = 2
        var sarif = SARIFLog()
        var finished = false
    }

    public init() {}

    /// The format in force.
    public var format: DiagnosticFormat { locked { $0.format } }

    /// The tool that writes.
    public var tool: String { locked { $0.tool } }

    /// Whether at most a few diagnostics per reason code are shown (text and github, which a
    /// person reads); json and sarif get every one.
    public var capsPerCode: Bool {
        let format = format
        return format == .text || format == .github
    }

    /// Progress belongs on a terminal that shows text diagnostics, never in a json or sarif stream.
    public var showsProgress: Bool {
        locked { $0.format == .text && $0.descriptor == 2 } && isatty(2) == 1
    }

    /// Names the tool whose lines these are.
    public func begin(tool: String) {
        locked { $0.tool = tool }
    }

    /// Chooses the format and destination (nil: stderr). The file is opened by `open()`.
    public func select(_ format: DiagnosticFormat, file: String?) {
        locked {
            $0.format = format
            $0.filePath = file
        }
    }

    /// Opens the `--diagnostics-file`, truncating it; a failure is an I/O error (status 3).
    public func open() throws(OutputError) {
        try locked { (state: inout State) throws(OutputError) in
            guard let path = state.filePath, state.descriptor == 2 else { return }
            let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
            guard fd >= 0 else { throw OutputError.failed(target: path, message: "cannot open: \(errnoText())") }
            state.descriptor = fd
        }
    }

    /// Writes one line (held for the document in sarif).
    public func emit(_ line: DiagnosticLine) {
        locked { state in
            guard !state.finished else { return }
            if state.format == .sarif {
                state.sarif.add(line)
            } else if let text = line.rendered(state.format) {
                StandardError.write(text + "\n", to: state.descriptor)
            }
        }
    }

    /// A line of the tool's own: `tool: message` in text (`tool` defaults to the one begun).
    public func say(_ message: String, level: DiagnosticLevel, code: String? = nil, tool: String? = nil) {
        emit(DiagnosticLine(tool: tool ?? self.tool, level: level, subject: .tool, code: code, message: message))
    }

    /// A summary that text and github show as `text` (a table, say) and json and sarif as `lines`.
    public func summary(text: String, lines: [DiagnosticLine]) {
        let format = format
        if format == .text || format == .github {
            emit(DiagnosticLine(tool: tool, level: .note, subject: .verbatim, message: text))
        } else {
            for line in lines { emit(line) }
        }
    }

    /// Ends the channel for a process exiting with `status`: a sarif run writes its document;
    /// a failure message also goes to stderr, as text, when the diagnostics go to a file (a log
    /// then still says why the run stopped). Later lines are dropped.
    public func finish(status: ExitStatus, failure: String? = nil) {
        locked { state in
            guard !state.finished else { return }
            if let failure, !failure.isEmpty {
                let line = DiagnosticLine(
                    tool: state.tool, level: .error, subject: .tool, code: Self.code(for: status), message: failure)
                if state.format == .sarif {
                    state.sarif.add(line)
                } else if let text = line.rendered(state.format) {
                    StandardError.write(text + "\n", to: state.descriptor)
                }
                if state.descriptor != 2 { StandardError.write(line.text + "\n") }
            }
            if state.format == .sarif {
                let document = state.sarif.document(tool: state.tool, version: SOCTools.version, status: status)
                StandardError.write(document.prettyPrinted() + "\n", to: state.descriptor)
            }
            if state.descriptor != 2 { _ = Glibc.close(state.descriptor) }
            state.finished = true
        }
    }

    /// What a signal handler writes when the run fails by a signal that cannot take the usual
    /// way out (SIGBUS on a mapped input): rendered now, in the format in force, as a C string,
    /// with the descriptor to write it to; and the plain text for stderr when the diagnostics go
    /// to a file. Replaced strings are never freed (a handler may be reading them).
    private nonisolated(unsafe) static var signalFailure: UnsafeMutablePointer<CChar>?
    private nonisolated(unsafe) static var signalFailureText: UnsafeMutablePointer<CChar>?
    private nonisolated(unsafe) static var signalFailureDescriptor: Int32 = 2

    /// Prepares the line `writePreparedSignalFailure` writes: `message` as an I/O error.
    public func prepareSignalFailure(_ message: String) {
        locked { state in
            let line = DiagnosticLine(
                tool: state.tool, level: .error, subject: .tool, code: Self.code(for: .ioError), message: message)
            let rendered: String?
            if state.format == .sarif {
                var sarif = state.sarif
                sarif.add(line)
                rendered = sarif.document(tool: state.tool, version: SOCTools.version, status: .ioError).prettyPrinted()
            } else {
                rendered = line.rendered(state.format)
            }
            Self.signalFailure = rendered.map { strdup($0 + "\n") }
            Self.signalFailureText = state.descriptor != 2 ? strdup(line.text + "\n") : nil
            Self.signalFailureDescriptor = state.descriptor
        }
    }

    /// Writes the prepared failure; async-signal-safe (write(2) of C strings made beforehand).
    public static func writePreparedSignalFailure() {
        if let text = signalFailure { _ = write(signalFailureDescriptor, text, strlen(text)) }
        if let text = signalFailureText { _ = write(2, text, strlen(text)) }
    }

    /// The kind of a failure by its status, for json's `code` and SARIF's descriptor.
    static func code(for status: ExitStatus) -> String {
        switch status {
        case .success: return "ok"
        case .dataFailure: return "data_failure"
        case .usage: return "usage"
        case .ioError: return "io_error"
        }
    }

    private func locked<T, E: Error>(_ body: (inout State) throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&state)
    }
}
