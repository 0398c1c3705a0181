import Foundation
import SOCTestSupport
import Testing

/// Every line a tool writes to stderr goes through the `DiagnosticChannel`, so `--diagnostics
/// json` is all JSON objects and `sarif` one document: only the channel (and the progress meter,
/// which it switches off outside text) may write to stderr directly.
@Suite struct StderrOnlyThroughChannelTests {
    @Test func onlyTheChannelAndTheProgressMeterWriteToStderr() throws {
        let sources = try Repository.sourceCodeLines()
        #expect(sources.count > 50, "found the sources")
        var writers: Set<String> = []
        for (file, lines) in sources {
            for line in lines
            where line.contains("StandardError.write(") || line.contains("FileHandle.standardError")
                || line.contains("fputs(") || line.contains("write(2,")
            {
                writers.insert(file)
            }
        }
        #expect(
            writers.isSubset(of: ["SOCCore/Diagnostics/DiagnosticChannel.swift", "SOCCore/CLI/ProgressMeter.swift"]),
            "stderr written outside the DiagnosticChannel: \(writers.sorted())")
    }
}
