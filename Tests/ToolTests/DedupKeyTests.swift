import Foundation
import SOCTestSupport
import Testing

/// soc-dedup `--key` compares strings by their UTF-16 code units (issue 11, item 11): escapes
/// are decoded (`"é"` equals `"\u00e9"`), lone surrogates stay themselves.
@Suite struct DedupKeyTests {
    @Test func loneSurrogatesAreDistinctKeys() throws {
        let dir = try TemporaryDirectory()
        let lines = [
            #"{"k":"\ud800"}"#, #"{"k":"\udc00"}"#, #"{"k":"\ufffd"}"#, #"{"k":"�"}"#, #"{"k":"\uD800"}"#,
            #"{"k":"é"}"#, #"{"k":"\u00e9"}"#, #"{"k":"e\u0301"}"#, #"{"k":"\ud83d\ude00"}"#, #"{"k":"😀"}"#,
        ]
        let input = try dir.write("in.jsonl", lines.joined(separator: "\n") + "\n")
        let outcome = try ToolProcess.run("soc-dedup", [input, "--key", "k", "--no-near", "--no-exact-text"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        // Kept: \ud800, \udc00, \ufffd, é, e+U+0301, 😀; removed: the raw U+FFFD, \uD800, \u00e9, 😀 raw.
        #expect(outcome.stdoutLines == [lines[0], lines[1], lines[2], lines[5], lines[7], lines[8]])
    }

    @Test func signedKeysAgreeWithTheOneShotRun() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", #"{"k":"\ud800"}"# + "\n" + #"{"k":"\udc00"}"# + "\n")
        let sign = try ToolProcess.run(
            "soc-dedup",
            ["sign", "--shard", "0", "--key", "k", "--no-near", "--no-exact-text", input, "-o", dir.path("sig")])
        #expect(sign.status == 0, "\(sign.stderr)")
        let cluster = try ToolProcess.run("soc-dedup", ["cluster", dir.path("sig"), "-o", dir.path("remove")])
        #expect(cluster.status == 0, "\(cluster.stderr)")
        // The list names the shard and removes nothing: no line but the headers.
        let lines = try dir.read("remove").split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("#") }, "\(lines)")
    }
}
