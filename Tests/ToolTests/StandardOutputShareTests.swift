import Foundation
import SOCTestSupport
import Testing

/// A side output named `-` while standard output carries records (issue 13): a usage error
/// (status 2) before anything is read, in every tool; when stdout carries nothing else
/// (`--check`, `--dry-run`, `-o FILE`), one side output may have it.
@Suite struct StandardOutputShareTests {
    /// Each tool with each of its side outputs.
    static let cases: [(String, String)] = [
        ("soc-filter", "--report"), ("soc-filter", "--rejects"), ("soc-filter", "--removed"),
        ("soc-validate", "--report"), ("soc-validate", "--rejects"), ("soc-validate", "--errors"),
        ("soc-scrub", "--report"), ("soc-scrub", "--rejects"), ("soc-scrub", "--audit"),
        ("soc-dedup", "--report"), ("soc-dedup", "--rejects"), ("soc-dedup", "--removed"),
        ("soc-dedup", "--clusters"),
        ("soc-stats", "--report"), ("soc-stats", "--rejects"),
    ]

    @Test(arguments: cases)
    func aSideOutputOnStdoutBesideTheRecordsIsAUsageError(_ tool: String, _ option: String) throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", OutputFaultTests.chats(3))
        for stdout in ["-", "/dev/stdout"] {
            let run = try ToolProcess.run(tool, [option, stdout, input])
            #expect(run.status == 2, "\(tool) \(option) \(stdout): \(run.stderr)")
            #expect(
                run.stderr.contains("\(option) \(stdout): standard output already carries"),
                "\(tool) \(option): \(run.stderr)")
            #expect(run.stdout.isEmpty, "nothing is written before the refusal")
        }
        // With the records (or statistics) in a file, the side output may have stdout.
        let moved = try ToolProcess.run(tool, [option, "-", "-o", dir.path("out"), input])
        #expect(moved.status == 0, "\(tool) \(option) - -o out: \(moved.stderr)")
    }

    /// Two side outputs on stdout are refused too, even where the records go nowhere.
    @Test func twoSideOutputsOnStdoutAreAUsageError() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", OutputFaultTests.chats(3))
        let run = try ToolProcess.run("soc-validate", ["--check", "--report", "-", "--errors", "-", input])
        #expect(run.status == 2)
        #expect(run.stderr.contains("--errors -: standard output already carries the output of --report"))
    }

    /// Where stdout carries no records, a side output may use it: the report is then all of stdout.
    @Test func withoutRecordsOnStdoutTheReportMayGoThere() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", OutputFaultTests.chats(3))
        for (tool, flag) in [("soc-validate", "--check"), ("soc-scrub", "--dry-run")] {
            let run = try ToolProcess.run(tool, [flag, "--report", "-", input])
            #expect(run.status == 0, "\(tool): \(run.stderr)")
            let report = try JSONSerialization.jsonObject(with: run.stdout) as? [String: Any]
            #expect(report?["read"] as? Int == 3, "\(tool): \(run.stdoutText)")
        }
    }

    /// `soc-dedup cluster` writes its removal list to stdout unless -o is given.
    @Test func dedupClusterRefusesItsReportOnStdout() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", OutputFaultTests.chats(3))
        let sign = try ToolProcess.run("soc-dedup", ["sign", "--shard", "0", "-o", dir.path("s.sig"), input])
        #expect(sign.status == 0, "\(sign.stderr)")
        let run = try ToolProcess.run("soc-dedup", ["cluster", "--report", "-", dir.path("s.sig")])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("--report -: standard output already carries the removal list"))
        let moved = try ToolProcess.run(
            "soc-dedup", ["cluster", "--report", "-", "-o", dir.path("removals"), dir.path("s.sig")])
        #expect(moved.status == 0, "\(moved.stderr)")
        #expect(moved.stdoutText.contains("\"soc-dedup cluster\""))
    }
}
