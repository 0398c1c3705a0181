import Foundation
import SOCTestSupport
import Testing

/// The progress line on a terminal and the diagnostics printed while it is shown (issue 13).
@Suite struct ProgressTests {
    /// What a terminal shows for `bytes`: each line as it ends up after `\r` (back to column 0)
    /// and `ESC [K` (erase to the end of the line), as a terminal draws them.
    static func rendered(_ bytes: String) -> [String] {
        var lines: [String] = []
        var line: [Character] = []
        var cursor = 0
        var rest = Substring(bytes)
        while let character = rest.first {
            rest = rest.dropFirst()
            switch character {
            case "\n", "\r\n":
                lines.append(String(line))
                line = []
                cursor = 0
            case "\r":
                cursor = 0
            case "\u{1B}" where rest.hasPrefix("[K"):
                rest = rest.dropFirst(2)
                line.removeSubrange(cursor...)
            default:
                if cursor < line.count { line[cursor] = character } else { line.append(character) }
                cursor += 1
            }
        }
        if !line.isEmpty { lines.append(String(line)) }
        return lines
    }

    /// Malformed lines spread over many work units, so diagnostics come while progress is shown:
    /// each appears on a line of its own, and the progress line is gone at the end.
    @Test func diagnosticsClearTheProgressLineFirst() throws {
        let dir = try TemporaryDirectory()
        var lines: [String] = []
        for k in 0..<30000 {
            lines.append(
                k % 5000 == 4999 ? "{broken \(k)" : ChatFixture.line(id: "c\(k)", parts: [("a", ["hello \(k)"])]))
        }
        let input = try dir.write("in.jsonl", lines.joined(separator: "\n") + "\n")
        // A zero interval makes the meter due at every tick with no pause in the input (no
        // timing); `script` gives the tool a terminal (its stdout carries the tool's stderr).
        let run = "SOC_TOOLS_PROGRESS_INTERVAL=0 soc-filter '\(input)' > /dev/null"
        let onTerminal = try ToolProcess.shell("script -qec \"\(run)\" /dev/null")
        let raw = onTerminal.stdoutText
        #expect(raw.contains(" records, "), "progress was shown")
        let shown = Self.rendered(raw).filter { !$0.isEmpty }
        let diagnostics = shown.filter { $0.contains("malformed_json") }
        #expect(diagnostics.count == 6, "\(shown)")
        for line in diagnostics { #expect(line.hasPrefix(input + ":"), "\(line)") }
        // No progress is left on screen, glued to a line or at the end: each was cleared.
        #expect(!shown.contains { $0.contains(" records, ") }, "\(shown)")
        #expect(shown.last?.hasPrefix("soc-filter: 6 line(s) rejected") == true, "\(shown)")
    }

    @Test func theRendererDrawsAsATerminalDoes() {
        let text = "\rsoc-filter: 10 records\u{1B}[K\r\u{1B}[Kin.jsonl:5: bad\r\nabc\rX\n"
        #expect(Self.rendered(text) == ["in.jsonl:5: bad", "Xbc"])
        #expect(Self.rendered("\rprogress\u{1B}[Kin.jsonl:5: bad\n") == ["progressin.jsonl:5: bad"])
    }
}
