import Foundation
import SOCTestSupport
import Testing

/// `soc-dedup apply` refuses a removal list that cannot be this shard's (issue 11, item 14):
/// inputs that do not belong together are a data failure, status 1, before any record is written.
@Suite struct DedupApplyTests {
    static let records = [#"{"id":"a","t":"x"}"#, #"{"id":"a","t":"y"}"#, #"{"id":"c","t":"z"}"#]

    func prepared() throws -> (TemporaryDirectory, [String]) {
        let dir = try TemporaryDirectory()
        try dir.write("a.jsonl", Self.records.joined(separator: "\n") + "\n")
        let setup = try ToolProcess.shell(
            "soc-dedup sign --shard 1 --key id --no-near --no-exact-text a.jsonl > 1.sig && soc-dedup cluster 1.sig > remove.txt",
            in: dir.url)
        #expect(setup.status == 0, "\(setup.stderr)")
        let lines = try dir.read("remove.txt").split(separator: "\n").map(String.init)
        // The header, one removal (ordinal 2 duplicates ordinal 1), the shard line.
        #expect(lines.count == 3 && lines[1].hasPrefix("1\t2\texact_key"), "\(lines)")
        return (dir, lines)
    }

    func apply(_ dir: TemporaryDirectory, list: [String]) throws -> ToolProcess.Outcome {
        try dir.write("list.txt", list.joined(separator: "\n") + "\n")
        return try ToolProcess.run(
            "soc-dedup", ["apply", "--shard", "1", "--remove", "list.txt", "a.jsonl", "-o", "kept.jsonl"], in: dir.url)
    }

    @Test func theListAsWrittenApplies() throws {
        let (dir, lines) = try prepared()
        let outcome = try apply(dir, list: lines)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(try dir.read("kept.jsonl") == Self.records[0] + "\n" + Self.records[2] + "\n")
    }

    @Test func anOrdinalPastTheShardIsRefused() throws {
        let (dir, lines) = try prepared()
        let outcome = try apply(dir, list: [lines[0], lines[1], "1\t9\texact_key\t1\t1\tnull", lines[2]])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("ordinal 9 is outside its 3 records"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("kept.jsonl")))
    }

    @Test func aRepeatedRemovalIsRefused() throws {
        let (dir, lines) = try prepared()
        let outcome = try apply(dir, list: [lines[0], lines[1], lines[1], lines[2]])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("ordinal 2 is listed twice"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("kept.jsonl")))
    }

    @Test func aDigestMismatchIsADataFailureAsTheDocsSay() throws {
        let (dir, lines) = try prepared()
        try dir.write("a.jsonl", Self.records.reversed().joined(separator: "\n") + "\n")
        let outcome = try apply(dir, list: lines)
        #expect(outcome.status == 1)
        let docs = try String(contentsOf: Repository.root.appendingPathComponent("docs/dedup.md"), encoding: .utf8)
        #expect(!docs.contains("it fails\nwith status 3"))
        #expect(docs.contains("It refuses, with status 1"))
    }
}
