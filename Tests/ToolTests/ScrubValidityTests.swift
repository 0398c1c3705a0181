import Foundation
import SOCTestSupport
import Testing

/// soc-scrub never makes a valid record invalid: soc-validate (the built executable) is run on a
/// file and on soc-scrub's output of it, and no record valid before is invalid after. Records
/// scrub rejects (`emptied_by_scrub`) are not written, which is allowed; `duplicate_id` is left
/// out because it judges a record by the ones before it, not by itself.
@Suite struct ScrubValidityTests {
    /// Input line numbers soc-validate finds invalid in `path` (from its `FILE:LINE: code` lines).
    static func invalidLines(_ path: String) throws -> Set<Int> {
        let run = try ToolProcess.run(
            "soc-validate", [path, "--skip", "duplicate_id", "--rejects", "/dev/null", "-o", "/dev/null"])
        #expect(run.status == 0, "\(run.stderr)")
        return lineNumbers(run.stderr, path)
    }

    static func lineNumbers(_ stderr: String, _ path: String) -> Set<Int> {
        Set(
            stderr.split(separator: "\n").compactMap { line -> Int? in
                guard line.hasPrefix(path + ":") else { return nil }
                return Int(line.dropFirst(path.count + 1).prefix { $0.isNumber })
            })
    }

    /// Checks the property on `input`; returns (records valid before, records scrub changed).
    @discardableResult
    static func check(_ input: String, in dir: TemporaryDirectory) throws -> (valid: Int, changed: Int) {
        let lines = try String(contentsOfFile: input, encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false
        ).dropLast()
        let before = try invalidLines(input)
        let output = dir.path("scrubbed.jsonl")
        let scrub = try ToolProcess.run(
            "soc-scrub", [input, "--rejects", dir.path("scrub-rejects.jsonl"), "-o", output])
        #expect(scrub.status == 0, "\(scrub.stderr)")
        let rejected = lineNumbers(scrub.stderr, input)
        // The k-th written line is the k-th input line scrub did not reject.
        let written = (1...lines.count).filter { !rejected.contains($0) }
        let outputLines = try String(contentsOfFile: output, encoding: .utf8).split(separator: "\n")
        #expect(outputLines.count == written.count)
        let after = Set(try invalidLines(output).map { written[$0 - 1] })
        let broken = after.subtracting(before).sorted()
        #expect(broken.isEmpty, "valid before scrub, invalid after: lines \(broken) of \(input)")
        let changed = zip(written, outputLines).filter { lines[$0.0 - 1] != $0.1 }.count
        return (lines.count - before.count, changed)
    }

    @Test func theExamplesStayValid() throws {
        let dir = try TemporaryDirectory()
        let (valid, changed) = try Self.check(
            Repository.root.appendingPathComponent("examples/raw.jsonl").path, in: dir)
        #expect(valid > 40 && changed > 10)
    }

    @Test func theRealisticSampleStaysValid() throws {
        // bench/gen_soc.py --realistic --chats 40 --seed 9 --personas 300: every label shape,
        // special-casing names, NFD, glued tags, <end/> before tags, parts that are only a label.
        let dir = try TemporaryDirectory()
        let (valid, changed) = try Self.check(
            Repository.root.appendingPathComponent("Tests/Fixtures/scrub/realistic.jsonl").path, in: dir)
        #expect(valid == 40 && changed > 30)
    }

    /// Valid chats built around the scrub corpus's messages (issue 9's shapes).
    static let parts: [[[String]]] = [
        [["Elias Vance:Hey", "ok"], ["Shivani YILMAZ: hi"], ["...dust.\nElias:My mouse"], ["Elias:)", "bye <end/>"]],
        [["hi"], ["Shivani:"], ["again"], ["ok then <end/> <audio>sigh</audio> anyway"]],
        [["hi"], ["SHIVANI YILMAZ:"], ["ELIAS:"], ["see you <end/> <image>a wave</image> bye"]],
        [["hi <audio>hum</audio>"], ["x"], ["y <delay minutes=\"3\"/> <end/>"]],
        [["a"], ["b <image>x</image> <end/>"]],
        [["Elias: x"], ["Shivani Yılmaz: y"], ["<delay hours=\"1\"/>Elias:back", "<audio>x</audio> <end/>"]],
        [["hi"], ["**Shivani:** <gif>wave</gif> <end/>"]],
        [["one"], ["Shivani:"], ["two"], ["Elias:"], ["three <end/>"]],
    ]

    @Test func shapedChatsStayValid() throws {
        let dir = try TemporaryDirectory()
        let good = try String(
            contentsOf: Repository.root.appendingPathComponent("Tests/Fixtures/validate/corpus.jsonl"), encoding: .utf8
        ).split(separator: "\n")[0]
        var template = try JSONSerialization.jsonObject(with: Data(good.utf8)) as! [String: Any]
        var experience = template["experience"] as! [String: Any]
        var second = experience["persona2"] as! [String: Any]
        second["name"] = "Shivani Yılmaz"
        experience["persona2"] = second
        template["experience"] = experience
        let ids = [(experience["persona1"] as! [String: Any])["id"] as! String, second["id"] as! String]
        var lines: [String] = []
        for (n, chat) in Self.parts.enumerated() {
            var record = template
            record["chat_id"] = "\(ids[0])_\(ids[1])_\(1_754_600_100 + n)"
            record["chat_parts"] = chat.enumerated().map { ["sender": ids[$0.offset % 2], "messages": $0.element] }
            lines.append(
                String(
                    decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self)
            )
        }
        let input = try dir.write("shaped.jsonl", lines.joined(separator: "\n") + "\n")
        let (valid, changed) = try Self.check(input, in: dir)
        #expect(valid == Self.parts.count)
        #expect(changed >= 6)
    }
}
