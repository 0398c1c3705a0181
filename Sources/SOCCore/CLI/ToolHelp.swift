import ArgumentParser

#if canImport(Glibc)
    import Glibc
#endif

/// What a tool prints for `--help`, `-h` and `help`: argument-parser's own text, with what it
/// cannot do itself.
///
/// - A root command with a default subcommand (`soc-stats` → `analyze`, `soc-dedup` → `run`)
///   shows that subcommand's help, arguments and options at the root, followed by the list of
///   subcommands; argument-parser would show only the list, hiding the options a user runs with.
/// - The usage line is wrapped at the terminal width (argument-parser wraps everything else).
/// - The version flag is listed as `-V, --version` (`ToolMain` accepts `-V`).
public enum ToolHelp {
    /// The text to print for a help request that argument-parser rendered as `text` for the tool
    /// `command`.
    public static func text<Command: ParsableCommand>(_ text: String, for command: Command.Type) -> String {
        var help = text
        if let defaultCommand = command.configuration.defaultSubcommand, text == command.helpMessage() {
            help = rootHelp(command, default: defaultCommand, text: text)
        }
        return withShortVersion(wrappingUsage(help, width: TerminalWidth.current))
    }

    /// The default subcommand's help as the root's: its usage line names the subcommand as
    /// optional (`soc-stats [analyze] ...`) and the root's subcommand list follows its options.
    static func rootHelp(_ command: ParsableCommand.Type, default defaultCommand: ParsableCommand.Type, text: String)
        -> String
    {
        var help = command.helpMessage(for: defaultCommand)
        let root = command._commandName
        let name = defaultCommand._commandName
        help = help.replacingFirst("USAGE: \(root) \(name) ", with: "USAGE: \(root) [\(name)] ")
        guard let subcommands = text.firstRange(of: "\nSUBCOMMANDS:\n") else { return help }
        if !help.hasSuffix("\n") { help += "\n" }
        return help + text[subcommands.lowerBound...]
    }

    /// Wraps the `USAGE:` line at `width` columns, breaking only between the synopsis's
    /// elements (`[--output <file>]` stays whole), continuation lines indented under the first.
    static func wrappingUsage(_ help: String, width: Int) -> String {
        var lines = help.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let index = lines.firstIndex(where: { $0.hasPrefix("USAGE: ") }), lines[index].count > width else {
            return help
        }
        let indent = String(repeating: " ", count: "USAGE: ".count)
        var wrapped: [String] = []
        var line = ""
        for element in synopsisElements(lines[index]) {
            if !line.isEmpty && line.count + 1 + element.count > width {
                wrapped.append(line)
                line = indent + element
            } else {
                line = line.isEmpty ? element : line + " " + element
            }
        }
        wrapped.append(line)
        lines.replaceSubrange(index...index, with: wrapped)
        return lines.joined(separator: "\n")
    }

    /// The words of a usage line, with brackets and angle brackets kept whole.
    static func synopsisElements(_ line: String) -> [String] {
        var elements: [String] = []
        var current = ""
        var depth = 0
        for character in line {
            switch character {
            case "[", "<", "(": depth += 1
            case "]", ">", ")": depth = max(0, depth - 1)
            default: break
            }
            if character == " " && depth == 0 {
                if !current.isEmpty { elements.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { elements.append(current) }
        // "USAGE:" and the tool's name stay together on the first line.
        if elements.count >= 2, elements[0] == "USAGE:" {
            elements.replaceSubrange(0...1, with: [elements[0] + " " + elements[1]])
        }
        return elements
    }

    /// Lists the built-in `--version` flag as `-V, --version`, keeping the help column.
    static func withShortVersion(_ help: String) -> String {
        help.replacingFirst("  --version    ", with: "  -V, --version")
    }
}

/// The width help text is wrapped to, found as argument-parser finds it: `COLUMNS`, else the
/// terminal on stdout, else 80.
enum TerminalWidth {
    static var current: Int {
        if let text = getenv("COLUMNS"), let columns = Int(String(cString: text)), columns > 0 { return columns }
        var size = winsize()
        if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        return 80
    }
}

extension String {
    /// The string with the first occurrence of `target` replaced.
    func replacingFirst(_ target: String, with replacement: String) -> String {
        replacing(target, with: replacement, maxReplacements: 1)
    }
}
