import ArgumentParser

/// `--diagnostics FORMAT` and `--diagnostics-file FILE`, which every tool takes.
public struct DiagnosticOptions: ParsableArguments {
    @Option(
        name: .customLong("diagnostics"),
        help: ArgumentHelp(
            "Diagnostics as text, json (one object per line, every diagnostic), github (workflow annotations) or sarif (one SARIF 2.1.0 document at the end).",
            valueName: "format"))
    public var format: DiagnosticFormat?

    @Option(
        name: .customLong("diagnostics-file"),
        help: ArgumentHelp("Write the diagnostics to FILE instead of stderr.", valueName: "file"))
    public var file: String?

    public init() {}

    // argument-parser validates every option group of the command it parsed, subcommands'
    // included: the one hook no command can forget, so the channel is set here.
    public mutating func validate() throws {
        // `-` would be a file of that name, or stdout, which carries records: diagnostics go to
        // stderr unless a real file is named.
        if file == "-" {
            DiagnosticChannel.shared.select(format ?? .text, file: nil)
            throw ValidationError(
                "--diagnostics-file -: diagnostics go to stderr by default; name a file to write them elsewhere")
        }
        DiagnosticChannel.shared.select(format ?? .text, file: file)
    }

    /// A best guess from raw arguments, before parsing, so a usage error comes out in the format
    /// asked for. `aliases` are other names of `--diagnostics` (soc-validate's `--format`).
    public static func guess(from arguments: [String], aliases: [String] = []) -> (DiagnosticFormat?, String?) {
        var format: DiagnosticFormat?
        var file: String?
        let names = ["--diagnostics"] + aliases
        var k = 0
        while k < arguments.count {
            let argument = arguments[k]
            if argument == "--" { break }
            for name in names {
                if argument == name, k + 1 < arguments.count {
                    format = DiagnosticFormat(rawValue: arguments[k + 1]) ?? format
                } else if argument.hasPrefix(name + "=") {
                    format = DiagnosticFormat(rawValue: String(argument.dropFirst(name.count + 1))) ?? format
                }
            }
            if argument == "--diagnostics-file", k + 1 < arguments.count {
                file = arguments[k + 1]
            } else if argument.hasPrefix("--diagnostics-file=") {
                file = String(argument.dropFirst("--diagnostics-file=".count))
            }
            if file == "-" { file = nil }  // refused by `validate()`; the refusal goes to stderr
            k += 1
        }
        return (format, file)
    }
}
