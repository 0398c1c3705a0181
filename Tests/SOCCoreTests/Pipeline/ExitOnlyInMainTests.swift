import Foundation
import SOCTestSupport
import Testing

/// Nothing below the tools' shared `main` ends the process: stages and the runner throw, and only
/// `ToolMain` (CLI/ToolCommand.swift) turns an error into an exit status.
@Suite struct ExitOnlyInMainTests {
    @Test func exitIsCalledOnlyInTheSharedMain() throws {
        let sources = Repository.root.appendingPathComponent("Sources")
        let files =
            FileManager.default.enumerator(atPath: sources.path)?.compactMap { $0 as? String }.filter {
                $0.hasSuffix(".swift")
            } ?? []
        #expect(files.count > 50, "found the sources")
        var callers: [String] = []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for line in text.split(separator: "\n")
            where line.contains("exit(") && !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                callers.append(file)
            }
        }
        #expect(Set(callers) == ["SOCCore/CLI/ToolCommand.swift"], "exit( outside the shared main: \(callers)")
    }
}
