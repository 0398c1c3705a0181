import Foundation
import SOCTestSupport
import Testing

/// End-to-end tests of soc-stats: the built executable on real files and pipes.
@Suite struct StatsTests {
    /// A deterministic generator of SOC chats whose figures the test counts itself, from the
    /// structure it builds (not by scanning text the way soc-stats does).
    struct Fixture {
        var lines: [String] = []
        var messages = 0
        var maxTurns = 0
        var turnsSum = 0
        var maxWords = 0
        var persona1Messages = 0
        var tagCounts: [String: Int] = [:]
        var endChats = 0

        init(chats: Int, seed: UInt64) {
            var numbers = SeededNumbers(state: seed)
            func next(_ bound: Int) -> Int { numbers.next(bound) }
            let words = ["hey", "so", "the", "café", "naïve", "ok", "lol", "plan", "🍕", "tomorrow"]
            // Text that is not a tag, and templates whose tag the test knows.
            let plain = ["I <3 it", "if a < b then", "-> next", "see <https://example.org>", "mail <me@example.org>"]
            let tagged: [(String, String)] = [
                ("<image>a red boat</image> look", "image"), ("<gif>thumbs up</gif>", "gif"),
                ("<audio>humming</audio>", "audio"), ("<video>waves</video>", "video"),
                ("<delay hours=\"2\"/>", "delay"), ("<laugh> haha", "unknown"),
            ]
            let ids = (0..<6).map { k in String(repeating: String(k + 1), count: 32) }
            for c in 0..<chats {
                let a = next(6)
                let b = (a + 1 + next(5)) % 6
                let persona: (Int) -> [String: Any] = { k in
                    [
                        "name": "P\(k)", "username": k % 2 == 0 ? NSNull() : "user\(k)" as Any, "age": 20 + k,
                        "traits": ["calm", "witty", "sharp"],
                        "background": "P\(k) works.", "chatting_style": "short", "model": "m", "id": ids[k],
                    ]
                }
                let turns = 2 + next(12)
                maxTurns = max(maxTurns, turns)
                turnsSum += turns
                var parts: [[String: Any]] = []
                var hasEnd = false
                for t in 0..<turns {
                    let sender = t % 2 == 0 ? a : b
                    var texts: [String] = []
                    for _ in 0..<(1 + next(3)) {
                        let roll = next(10)
                        var text: String
                        if roll < 2 {
                            let (template, tag) = tagged[next(tagged.count)]
                            text = template
                            tagCounts[tag, default: 0] += 1
                        } else if roll < 4 {
                            text = plain[next(plain.count)]
                        } else {
                            text = (0..<(1 + next(15))).map { _ in words[next(words.count)] }.joined(
                                separator: next(4) == 0 ? "\t" : " ")
                        }
                        texts.append(text)
                    }
                    if t == turns - 1 && c % 3 != 0 {
                        texts[texts.count - 1] += " <end/>"
                        tagCounts["end", default: 0] += 1
                        hasEnd = true
                    }
                    for text in texts {
                        maxWords = max(maxWords, text.split(whereSeparator: { $0 == " " || $0 == "\t" }).count)
                    }
                    messages += texts.count
                    if sender == a { persona1Messages += texts.count }
                    parts.append(["sender": ids[sender], "messages": texts])
                }
                if hasEnd { endChats += 1 }
                let chat: [String: Any] = [
                    "chat_id": "\(ids[a])_\(ids[b])_\(c)",
                    "experience": [
                        "persona1": persona(a), "persona2": persona(b), "relationship": "friends",
                        "situation": "chat \(c)", "topic": "plans", "id": "e\(c)",
                    ],
                    "chat_parts": parts, "model": "m",
                ]
                let data = try! JSONSerialization.data(withJSONObject: chat, options: [.sortedKeys])
                lines.append(String(decoding: data, as: UTF8.self))
            }
        }

        var text: String { lines.joined(separator: "\n") + "\n" }
    }

    static func json(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    static func number(_ json: [String: Any], _ path: String) -> Double? {
        var current: Any? = json
        for key in path.split(separator: ".") { current = (current as? [String: Any])?[String(key)] }
        return (current as? NSNumber)?.doubleValue
    }

    @Test func figuresMatchTheFixture() throws {
        let fixture = Fixture(chats: 120, seed: 42)
        let dir = try TemporaryDirectory()
        let input = try dir.write("chats.jsonl", fixture.text)
        let outcome = try ToolProcess.run("soc-stats", ["--format", "json", input])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let json = try Self.json(outcome.stdoutText)
        #expect(Self.number(json, "schema_version") == 1)
        #expect(Self.number(json, "records") == 120)
        #expect(Self.number(json, "chats") == 120)
        #expect(Self.number(json, "messages") == Double(fixture.messages))
        #expect(Self.number(json, "turns.max") == Double(fixture.maxTurns))
        #expect(Self.number(json, "turns.sum") == Double(fixture.turnsSum))
        #expect(Self.number(json, "words_per_message.max") == Double(fixture.maxWords))
        #expect(Self.number(json, "speakers.persona1_messages") == Double(fixture.persona1Messages))
        for tag in ["image", "gif", "audio", "video", "delay", "end", "unknown"] {
            #expect(
                Self.number(json, "tags.\(tag).occurrences") == Double(fixture.tagCounts[tag, default: 0]),
                "tags.\(tag)")
        }
        #expect(Self.number(json, "tags.end.chats") == Double(fixture.endChats))
        #expect(Self.number(json, "tags.end.at_end_chats") == Double(fixture.endChats))
        #expect(Self.number(json, "delay_minutes.sum") == Double(120 * fixture.tagCounts["delay", default: 0]))
        #expect(Self.number(json, "personas.unique") == 6)
    }

    /// Drops what legitimately differs between a merge and the whole: the input names. (The
    /// distinct-id figures are equal too: the shards' exact id sets are in their JSON.)
    static func exactPart(_ json: [String: Any]) -> NSDictionary {
        var json = json
        json["inputs"] = nil
        return json as NSDictionary
    }

    @Test func mergeOfHalvesEqualsTheWhole() throws {
        let fixture = Fixture(chats: 151, seed: 9)
        let dir = try TemporaryDirectory()
        try dir.write("all.jsonl", fixture.text)
        let outcome = try ToolProcess.shell(
            """
            set -e
            head -n 75 all.jsonl > a.jsonl
            tail -n +76 all.jsonl > b.jsonl
            soc-stats --format json -o whole.json all.jsonl
            soc-stats --format json -o a.json a.jsonl
            cat b.jsonl | soc-stats --format json > b.json
            soc-stats merge a.json b.json -o merged.json
            """, in: dir.url)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let whole = try Self.json(try dir.read("whole.json"))
        let merged = try Self.json(try dir.read("merged.json"))
        #expect(Self.number(merged, "records") == 151)
        #expect(Self.number(merged, "tags.end.occurrences") == Double(fixture.tagCounts["end", default: 0]))
        // Counts, sums, min, max, mean, std, histograms (and the quantiles read from them): equal.
        #expect(Self.exactPart(merged) == Self.exactPart(whole))
        #expect(Self.number(merged, "turns.std") == Self.number(whole, "turns.std"))
        #expect((merged["inputs"] as? [String]) == ["a.jsonl", "<stdin>"])
    }

    @Test func mergeRefusesOtherSchemasAndGatesTheMergedFigures() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("chats.jsonl", Fixture(chats: 20, seed: 8).text)
        let outcome = try ToolProcess.shell(
            """
            soc-stats --format json -o a.json \(input) &&
            sed 's/"schema_version": 1,/"schema_version": 99,/' a.json > future.json &&
            soc-stats merge a.json future.json
            """, in: dir.url)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("future.json: schema_version 99 is not supported"), "\(outcome.stderr)")
        let notStats = try ToolProcess.run("soc-stats", ["merge", input])
        #expect(notStats.status == 2)
        let md = try ToolProcess.run(
            "soc-stats",
            ["merge", "--format", "md", "--require", "records==40", dir.path("a.json"), dir.path("a.json")])
        #expect(md.status == 0, "\(md.stderr)")
        #expect(md.stdoutText.contains("| Records | 40 |"))
        let gated = try ToolProcess.run(
            "soc-stats", ["merge", "--require", "records>40", dir.path("a.json"), dir.path("a.json")])
        #expect(gated.status == 1)
        #expect(gated.stderr.contains("records>40: actual 40"))
    }

    @Test func failedRequirementExitsOneAndNamesTheActualValue() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("chats.jsonl", Fixture(chats: 40, seed: 3).text)
        let whole = try Self.json(try ToolProcess.run("soc-stats", ["--format", "json", input]).stdoutText)
        let p50 = try #require(Self.number(whole, "turns.p50"))
        let outcome = try ToolProcess.run(
            "soc-stats",
            [
                "--require", "turns.p50>=1000", "--require", "chats>=1", "--require", "tags.end.chats_share > 0.99",
                "-o", dir.path("stats.md"), input,
            ])
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains("turns.p50>=1000: actual \(Int(p50))"), "\(outcome.stderr)")
        #expect(outcome.stderr.contains("tags.end.chats_share > 0.99: actual 0."))
        #expect(!outcome.stderr.contains("chats>=1"))
        // The statistics are still written.
        #expect(try dir.read("stats.md").contains("## Dataset statistics"))
        let passing = try ToolProcess.run(
            "soc-stats",
            ["--require", "turns.p50>=1", "--require", "turns.max<=\(Int(Self.number(whole, "turns.max")!))", input])
        #expect(passing.status == 0, "\(passing.stderr)")
    }

    @Test func malformedRequirementIsAUsageError() throws {
        let outcome = try ToolProcess.run("soc-stats", ["--require", "turns.p50 at least 8"], stdin: Data())
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("NAME OP NUMBER"))
    }

    @Test func markdownAndSelfContainedHTML() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("chats.jsonl", Fixture(chats: 30, seed: 5).text)
        let md = try ToolProcess.run("soc-stats", [input])
        #expect(md.status == 0)
        #expect(md.stdoutText.contains("size_categories:\n- n<1K"))
        #expect(md.stdoutText.contains("| Turns (parts) per chat | 30 |"))
        let html = try ToolProcess.run("soc-stats", ["--format", "html", "-o", dir.path("report.html"), input])
        #expect(html.status == 0)
        #expect(html.stdout.isEmpty)
        let page = try dir.read("report.html")
        #expect(page.hasPrefix("<!doctype html>"))
        #expect(page.components(separatedBy: "<svg").count > 10)
        for external in ["<script", "<link", "src=", "url(", "@import"] {
            #expect(!page.contains(external), "\(external)")
        }
        #expect(page.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http") == false)
    }

    @Test func mixedInputAndRejectedLines() throws {
        let dir = try TemporaryDirectory()
        let personas =
            #"{"name":"A","username":null,"age":30,"traits":["calm","witty","loyal"],"background":"b","chatting_style":"s","model":"m","id":"aa"}"#
        let input = try dir.write(
            "mixed.jsonl", Fixture(chats: 3, seed: 1).text + personas + "\n" + personas + "\n{\"k\":1}\n{broken\n\n")
        let strict = try ToolProcess.run("soc-stats", ["--format", "json", input])
        #expect(strict.status == 1)
        #expect(strict.stderr.contains("malformed_json"))
        let kept = try ToolProcess.run(
            "soc-stats",
            ["--format", "json", "--rejects", dir.path("bad.jsonl"), "--report", dir.path("report.json"), input])
        #expect(kept.status == 0, "\(kept.stderr)")
        let json = try Self.json(kept.stdoutText)
        #expect(Self.number(json, "records") == 6)
        #expect(Self.number(json, "spb.records") == 2)
        #expect(Self.number(json, "spb.duplicate_ids") == 1)
        #expect(Self.number(json, "other.records") == 1)
        #expect(try dir.read("bad.jsonl") == "{broken\n")
        let report = try dir.readJSON("report.json")
        #expect(report["read"] as? Int == 8)
        #expect(report["rejected"] as? Int == 1)
        #expect(report["removed"] as? Int == 1)
    }

    @Test func threadsGiveTheSameFiguresAsOnePass() throws {
        let dir = try TemporaryDirectory()
        // Many work units, with a malformed line in the middle.
        let fixture = Fixture(chats: 400, seed: 77).text
        var big = String(repeating: fixture, count: 40)
        big += "{oops\n" + String(repeating: fixture, count: 10)
        let input = try dir.write("big.jsonl", big)
        let one = try ToolProcess.run("soc-stats", ["--threads", "1", "--format", "json", input])
        let two = try ToolProcess.run("soc-stats", ["--threads", "2", "--format", "json", input])
        #expect(one.status == 1 && two.status == 1)
        #expect(one.stdout == two.stdout)
        #expect(one.stderr == two.stderr, "\(one.stderr) vs \(two.stderr)")
        #expect(two.stderr.contains(":\(40 * 400 + 1): malformed_json"))
    }

    /// soc-stats' blank messages are the messages soc-validate rejects as `empty_message`, for
    /// every shape of blank: ASCII spaces, invisible characters after spaces (` \u200b`, once
    /// missed by soc-stats' first-character test), escaped and raw, and look-alikes that are
    /// not blank.
    @Test func blankMessagesAreValidateEmptyMessages() throws {
        let raw = try String(contentsOf: Repository.root.appendingPathComponent("examples/raw.jsonl"), encoding: .utf8)
        let first = try #require(raw.split(separator: "\n").first)
        var record = try #require(try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any])
        var parts = try #require(record["chat_parts"] as? [[String: Any]])
        let texts = [
            " \u{200B}", "\u{200B}", " \u{A0}\u{200B} ", "\t\u{2003}", "   ", "\u{FEFF}\u{2060}",
            " a\u{200B}", "\u{200B}a", "ok", " \u{00E9}",
        ]
        let dir = try TemporaryDirectory()
        var lines: [String] = []
        for (k, text) in texts.enumerated() {
            var messages = try #require(parts[0]["messages"] as? [String])
            messages[0] = text
            parts[0]["messages"] = messages
            record["chat_parts"] = parts
            // Half the lines with \u escapes (ASCII-only JSON), half raw UTF-8.
            let data = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
            let line = String(decoding: data, as: UTF8.self)
            lines.append(
                k % 2 == 0
                    ? line
                    : line.unicodeScalars.map { $0.isASCII ? String($0) : String(format: "\\u%04x", $0.value) }.joined()
            )
        }
        let input = try dir.write("blank.jsonl", lines.joined(separator: "\n") + "\n")
        let validate = try ToolProcess.run("soc-validate", ["--rejects", "/dev/null", input])
        let rejected = validate.stderr.components(separatedBy: ": empty_message:").count - 1
        #expect(rejected == 6, "\(validate.stderr)")
        let stats = try ToolProcess.run("soc-stats", ["--format", "json", input])
        #expect(stats.status == 0, "\(stats.stderr)")
        #expect(Self.number(try Self.json(stats.stdoutText), "blank_messages") == Double(rejected))
    }
}
