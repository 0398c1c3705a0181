/// The exit statuses every tool uses.
public enum ExitStatus: Int32, Sendable {
    /// Everything read was accounted for and nothing failed.
    case success = 0
    /// Data failed: rejected lines without `--rejects` (or with `--strict`), a failed gate, inputs
    /// that do not belong together, a limit reached.
    case dataFailure = 1
    /// The command line was wrong (a bad option, a bad rule file or schema).
    case usage = 2
    /// An input could not be read or an output could not be written.
    case ioError = 3
}

/// An error that ends a run, carrying its exit status. Only the tools' shared `main` (in `CLI/`)
/// turns one into the process's status, printing `tool: description` on stderr (nothing when
/// the description is empty). Nothing below it exits the process: a stage or the runner throws.
public protocol ToolError: Error, CustomStringConvertible {
    /// The status the process ends with.
    var exitStatus: ExitStatus { get }
}

/// A failure with a status and a message, for the cases no more specific error type names
/// (`3 line(s) rejected`, a `--max-records` limit, a failed `--check`).
public struct RunFailure: ToolError, Sendable {
    public var exitStatus: ExitStatus
    public var message: String

    public init(_ exitStatus: ExitStatus, _ message: String) {
        self.exitStatus = exitStatus
        self.message = message
    }

    public var description: String { message }
}

// The lower layers report their own errors; this is where they get their exit statuses.
extension InputError: ToolError {
    public var exitStatus: ExitStatus { .ioError }
}

extension OutputError: ToolError {
    /// A closed pipe on standard output is a quiet stop (status 0): the reader asked for no more.
    public var exitStatus: ExitStatus {
        if case .brokenPipe = self { return .success }
        return .ioError
    }
}

extension RuleFileError: ToolError {
    public var exitStatus: ExitStatus { .usage }
}

extension SchemaError: ToolError {
    public var exitStatus: ExitStatus { .usage }
}

extension SignatureFileError: ToolError {
    /// Signature files or a removal list that do not belong to the input are a data failure.
    public var exitStatus: ExitStatus { .dataFailure }
}
