/// The exit statuses every tool uses.
public enum ExitStatus: Int32, Sendable {
    /// Everything read was accounted for and nothing failed.
    case success = 0
    /// Data failed: rejected lines without `--rejects` (or with `--strict`), a failed gate.
    case dataFailure = 1
    /// The command line was wrong.
    case usage = 2
    /// An input could not be read or an output could not be written.
    case ioError = 3
}
