import ArgumentParser

#if canImport(Glibc)
    import Glibc
#endif

/// A soc-tools command: `run()` throws a `ToolError` (or returns for success) and the shared
/// `main` turns it into the exit status (0 ok, 1 data failed, 2 usage error, 3 I/O error).
public protocol ToolCommand: ParsableCommand {
    /// Other option names that mean `--diagnostics` (soc-validate's `--format`).
    static var diagnosticsAliases: [String] { get }

    /// The command line parsed as the default subcommand alone, when it can only mean that
    /// subcommand and parses without error; nil to parse it as usual (every error, help and
    /// version request takes the usual path, so messages and statuses stay the root's).
    /// argument-parser's root parse builds the default subcommand's argument set once more just
    /// to ask whether it takes passthrough arguments (6.7M instructions at soc-dedup's start).
    static func parseDefaultSubcommand(_ arguments: [String]) -> ParsableCommand?
}

extension ToolCommand {
    public static var diagnosticsAliases: [String] { [] }

    public static func parseDefaultSubcommand(_ arguments: [String]) -> ParsableCommand? { nil }

    /// Parses the command line and runs.
    public static func main() {
        ToolMain.run(Self.self, Array(CommandLine.arguments.dropFirst()))
    }
}

/// The one place where a tool's process ends: errors become exit statuses and one
/// `tool: message` line on stderr (in the `--diagnostics` format), as ripgrep's `main` does.
/// The library below never exits.
public enum ToolMain {
    /// SIGBUS comes when a mapped input lost pages (`MappedFile`: another program truncated the
    /// file while it was read). That is an I/O error, not a crash: the temporary outputs go, the
    /// failure line the channel prepared is written, and the process ends with status 3. Only
    /// async-signal-safe calls (unlink, write, _exit).
    private static let busHandler: @convention(c) (Int32) -> Void = { _ in
        TemporaryFiles.removeAll()
        DiagnosticChannel.writePreparedSignalFailure()
        _exit(ExitStatus.ioError.rawValue)
    }

    /// Ends the process with `status` after one `tool: message` line on stderr (for a command
    /// line that fails before any command is parsed, such as `soc-stats help nonsense`).
    public static func fail(_ tool: String, _ message: String, status: ExitStatus) -> Never {
        fail(RunFailure(status, message), tool: tool)
    }

    /// Parses `arguments` as `command` (a root command, possibly with subcommands), runs it and
    /// exits with its status.
    public static func run<Command: ParsableCommand>(_ command: Command.Type, _ arguments: [String]) -> Never {
        let tool = command.configuration.commandName ?? "soc-tools"
        let channel = DiagnosticChannel.shared
        channel.begin(tool: tool)
        // Until the command line is parsed (and for a usage error), the format it seems to ask for.
        let aliases = (command as? any ToolCommand.Type)?.diagnosticsAliases ?? []
        let (format, file) = DiagnosticOptions.guess(from: arguments, aliases: aliases)
        channel.select(format ?? .text, file: file)
        StandardStreams.guardClosedDescriptors()
        TemporaryFiles.removeOnSignals()
        signal(SIGBUS, busHandler)
        // A closed pipe is an EPIPE error, quiet on stdout and loud elsewhere, in every command
        // (cluster and merge too), never a kill by SIGPIPE.
        signal(SIGPIPE, SIG_IGN)
        // `-V` is `--version`, as in ripgrep and jq (argument-parser's built-in flag is long only);
        // after `--` it is a file name.
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        let arguments = arguments[..<end].map { $0 == "-V" ? "--version" : $0 } + arguments[end...]
        do {
            try checkHelpSubcommand(command, arguments)
            var parsed =
                try (command as? any ToolCommand.Type)?.parseDefaultSubcommand(arguments)
                ?? command.parseAsRoot(arguments)
            try channel.open()
            ProcessTeardown.skipAtExit()
            // What SIGBUS says until an input is mapped (`MappedFile` names it then).
            channel.prepareSignalFailure("an input file shrank while it was read (SIGBUS); nothing was committed")
            try parsed.run()
            channel.finish(status: .success)
            Glibc.exit(ExitStatus.success.rawValue)
        } catch let error as ToolError {
            fail(error, tool: tool)
        } catch let code as ExitCode {
            Glibc.exit(code.rawValue)
        } catch {
            if command.exitCode(for: error) == .success {
                print(helpOrVersion(command, command.fullMessage(for: error)))
                Glibc.exit(ExitStatus.success.rawValue)
            }
            // Usage errors exit with status 2 (argument-parser's default is 64).
            if command.exitCode(for: error) == .validationFailure {
                // argument-parser's message (error, usage, where to look) stands as it is in text,
                // its usage line wrapped at the terminal width.
                let message = ToolHelp.wrappingUsage(command.fullMessage(for: error), width: TerminalWidth.current)
                channel.emit(
                    DiagnosticLine(tool: tool, level: .error, subject: .verbatim, code: "usage", message: message))
                channel.finish(status: .usage)
                Glibc.exit(ExitStatus.usage.rawValue)
            }
            command.exit(withError: error)
        }
    }

    /// What a successful request for help or the version prints: help texts go through
    /// `ToolHelp`; the version and generated scripts are printed as they are.
    static func helpOrVersion(_ command: ParsableCommand.Type, _ message: String) -> String {
        message.hasPrefix("OVERVIEW:") || message.hasPrefix("USAGE:") ? ToolHelp.text(message, for: command) : message
    }

    /// `tool help NAME...` must name subcommands: argument-parser would show the root's help for
    /// a name it does not know, and a misspelt name deserves a usage error (status 2).
    static func checkHelpSubcommand(_ command: ParsableCommand.Type, _ arguments: [String]) throws {
        guard arguments.first == "help", !command.configuration.subcommands.isEmpty else { return }
        var node: ParsableCommand.Type = command
        for name in arguments.dropFirst() where !name.hasPrefix("-") {
            let known: [ParsableCommand.Type] = node.configuration.subcommands
            guard let next = known.first(where: { type in type._commandName == name }) else {
                let tool: String = command._commandName
                let names = known.map { type in type._commandName }.joined(separator: ", ")
                throw RunFailure(.usage, "no help on '\(name)': the subcommands are \(names); try '\(tool) help'")
            }
            node = next
        }
    }

    /// Ends the process for `error`: `tool: message` on stderr (unless the message is empty or the
    /// status is success) and the error's exit status.
    public static func fail(_ error: ToolError, tool: String) -> Never {
        let channel = DiagnosticChannel.shared
        channel.begin(tool: tool)
        channel.finish(status: error.exitStatus, failure: error.exitStatus == .success ? nil : error.description)
        Glibc.exit(error.exitStatus.rawValue)
    }
}
