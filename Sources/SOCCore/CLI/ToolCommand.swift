import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// A soc-tools command: parses its arguments and maps errors to the toolkit's exit statuses
/// (0 ok, 1 data failed, 2 usage error, 3 I/O error). `run()` finishes by throwing
/// `ExitCode` for a non-zero status.
public protocol ToolCommand: ParsableCommand {}

extension ToolCommand {
    /// Parses the command line and runs; usage errors exit with status 2 (not 64).
    public static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .validationFailure {
                StandardError.write(fullMessage(for: error) + "\n")
                Glibc.exit(ExitStatus.usage.rawValue)
            }
            exit(withError: error)
        }
    }

    /// Ends the run with `status` (returns normally for success).
    public static func finish(with status: ExitStatus) throws {
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
