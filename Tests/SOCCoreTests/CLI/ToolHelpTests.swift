import Testing

@testable import SOCCore

/// ToolHelp's rewriting of argument-parser's help text.
@Suite struct ToolHelpTests {
    static let usage =
        "USAGE: soc-stats [analyze] [<file> ...] [--output <file>] [--report <file>] [--strict] [--max-depth <n>] [--require <expr> ...]"

    @Test func synopsisElementsKeepBracketsWhole() {
        let elements = ToolHelp.synopsisElements(Self.usage)
        #expect(elements.first == "USAGE: soc-stats")
        #expect(elements.contains("[--output <file>]"))
        #expect(elements.contains("[--require <expr> ...]"))
        #expect(elements.joined(separator: " ") == Self.usage)
    }

    @Test(arguments: [30, 40, 60, 80])
    func usageWrapsAtTheWidthBetweenElements(width: Int) {
        let help = "OVERVIEW: x\n\n" + Self.usage + "\n\nOPTIONS:\n"
        let wrapped = ToolHelp.wrappingUsage(help, width: width)
        let lines = wrapped.split(separator: "\n", omittingEmptySubsequences: false)
        let usageLines = lines.drop { !$0.hasPrefix("USAGE: ") }.prefix { !$0.isEmpty }
        #expect(usageLines.count > 1)
        for line in usageLines { #expect(line.count <= width, "\(line)") }
        for line in usageLines.dropFirst() { #expect(line.hasPrefix("       [")) }
        // Nothing but the breaks changed.
        let rejoined = usageLines.map { $0.trimmingPrefix(while: { $0 == " " }) }.joined(separator: " ")
        #expect(rejoined == Self.usage)
        #expect(wrapped.hasPrefix("OVERVIEW: x\n\n") && wrapped.hasSuffix("\n\nOPTIONS:\n"))
    }

    @Test func aShortUsageIsLeftAlone() {
        let help = "USAGE: soc-filter [<options>] [<file> ...]\n"
        #expect(ToolHelp.wrappingUsage(help, width: 80) == help)
    }

    @Test func theVersionFlagGetsItsShortNameInItsColumn() {
        let line = "  --version               Show the version."
        let shown = ToolHelp.withShortVersion("OPTIONS:\n" + line + "\n")
        #expect(shown == "OPTIONS:\n  -V, --version           Show the version.\n")
    }
}
