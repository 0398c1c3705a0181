import Foundation
import SOCTestSupport
import Testing

/// Nothing below the tools' shared `main` ends the process: stages and the runner throw, and only
/// `ToolMain` (CLI/ToolCommand.swift) turns an error into an exit status.
@Suite struct ExitOnlyInMainTests {
    @Test func exitIsCalledOnlyInTheSharedMain() throws {
        let sources = try Repository.sourceCodeLines()
        #expect(sources.count > 50, "found the sources")
        var callers: [String] = []
        for (file, lines) in sources {
            for line in lines where line.contains("exit(") { callers.append(file) }
        }
        #expect(Set(callers) == ["SOCCore/CLI/ToolCommand.swift"], "exit( outside the shared main: \(callers)")
    }
}
