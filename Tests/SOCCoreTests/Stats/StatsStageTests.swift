import Foundation
import SOCTestSupport
import Testing

@testable import SOCCore

@Suite struct StatsStageTests {
    /// `finish` (which builds the JSON document only for `--format json` or `--require`) writes
    /// `format.render` of the figures in every form, with and without gates, and its failures
    /// are those of checking the gates against the figures' JSON.
    @Test func finishWritesTheRenderedFormAndChecksTheGates() throws {
        let folder = try TemporaryDirectory()
        let gates = try [
            StatsRequirement(parsing: "turns.p50>=1"), StatsRequirement(parsing: "turns.p50>=1000"),
        ]
        for format in StatsFormat.allCases {
            for requirements in [[], gates] {
                let output = folder.path("\(format.rawValue)-\(requirements.count)")
                let stage = StatsStage(inputs: ["x"], format: format, output: output, requirements: requirements)
                for (k, line) in StatsDocumentTests.lines.enumerated() {
                    try withDocument(line) { doc in _ = stage.process(doc, at: RecordLocation(file: "x", line: k + 1)) }
                }
                try stage.finish()
                for side in stage.sideOutputs {
                    try side.finish()
                    try side.commit()
                }
                let written = try String(contentsOfFile: output, encoding: .utf8)
                #expect(written == format.render(stage.stats), "\(format)")
                let json = StatsJSONWriter.json(stage.stats)
                #expect(stage.failures == requirements.compactMap { $0.failure(in: json) })
                #expect(stage.failures.count == (requirements.isEmpty ? 0 : 1))
            }
        }
    }
}
