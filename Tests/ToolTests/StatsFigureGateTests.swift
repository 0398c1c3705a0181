import Foundation
import SOCTestSupport
import Testing

/// `--require` on names that cannot exist (usage, status 2) against names this data leaves
/// without a value (a failed gate, status 1), and `--list-figures` (issue 13).
@Suite struct StatsFigureGateTests {
    static let personas = #"{"id":"p1","traits":["kind"],"background":"b","chatting_style":"c","age":30}"# + "\n"

    @Test(arguments: ["turn.p50>=8", "turns.p50.x>1", "turns>1", "size_category>1", "other.root_types.text>0"])
    func aNameNoInputCanHaveIsAUsageError(gate: String) throws {
        let outcome = try ToolProcess.run("soc-stats", ["--require", gate], stdin: Data(Self.personas.utf8))
        #expect(outcome.status == 2, "\(gate): \(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.contains("--list-figures"), "\(outcome.stderr)")
    }

    @Test(arguments: ["tags.end.chats_share>=0.5", "models.values.3.count>=1", "turns.p50>=1"])
    func aValidNameWithoutAValueHereFailsTheGate(gate: String) throws {
        let outcome = try ToolProcess.run(
            "soc-stats", ["--require", gate, "--format", "json"], stdin: Data(Self.personas.utf8))
        #expect(outcome.status == 1, "\(gate): \(outcome.stderr)")
        #expect(outcome.stderr.contains("requirement failed: \(gate)"), "\(outcome.stderr)")
        #expect(!outcome.stdout.isEmpty, "the statistics are written all the same")
    }

    @Test func mergeChecksNamesToo() throws {
        let dir = try TemporaryDirectory()
        let shard = try ToolProcess.run("soc-stats", ["--format", "json"], stdin: Data(Self.personas.utf8))
        let path = try dir.write("a.json", shard.stdoutText)
        #expect(try ToolProcess.run("soc-stats", ["merge", "--require", "recordz>=1", path]).status == 2)
        #expect(try ToolProcess.run("soc-stats", ["merge", "--require", "spb.records>=1", path]).status == 0)
    }

    /// The listed names are exactly the ones accepted: each, with its placeholders filled in,
    /// passes the name check (status 0 or 1, never 2) on real data.
    @Test func listFiguresPrintsTheNamesTheGateAccepts() throws {
        let list = try ToolProcess.run("soc-stats", ["--list-figures"])
        #expect(list.status == 0, "\(list.stderr)")
        let names = list.stdoutLines
        #expect(names.contains("turns.p50") && names.contains("spb.duplicate_ids"))
        #expect(names.contains("models.values.<i>.share"))
        let gates = names.map { name in
            name.replacingOccurrences(of: "<i>", with: "0").replacingOccurrences(of: "<0..2>", with: "1")
                .replacingOccurrences(of: "<key>", with: "id").replacingOccurrences(of: "<type>", with: "string")
                + ">=0"
        }
        let arguments = gates.flatMap { ["--require", $0] } + ["--format", "json"]
        let outcome = try ToolProcess.run("soc-stats", arguments, stdin: Data(Self.personas.utf8))
        #expect(outcome.status == 1, "\(outcome.stderr.prefix(500))")
        #expect(!outcome.stderr.contains("--list-figures"))
    }
}
