import Foundation
import SOCTestSupport
import Testing

/// soc-scrub as users run it: real processes on real files and pipes.
@Suite struct ScrubTests {
    /// The example chat of the SOC-2508 dataset card, one line (Tests/Fixtures/scrub/card-example.jsonl).
    static let cardExample = try! String(
        contentsOf: Repository.root.appendingPathComponent("Tests/Fixtures/scrub/card-example.jsonl"), encoding: .utf8
    )
    .trimmingCharacters(in: .newlines)

    static let personas =
        #""experience": {"persona1": {"name": "Zoë O'Brien", "username": "theofficial.emma", "id": "p1"}, "persona2": {"name": "Elias Vance", "username": null, "id": "p2"}}"#

    static func chat(_ id: String, _ parts: [(String, [String])]) -> String {
        let body = parts.map { sender, messages in
            let quoted = messages.map {
                "\""
                    + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    .replacingOccurrences(of: "\n", with: "\\n") + "\""
            }
            return "{\"sender\": \"\(sender)\", \"messages\": [\(quoted.joined(separator: ", "))]}"
        }.joined(separator: ", ")
        return "{\"chat_id\": \"\(id)\", \(personas), \"chat_parts\": [\(body)], \"model\": \"m\", \"score\": 1.50}"
    }

    /// Input records and the exact lines soc-scrub must write for them.
    static let corpus: [(input: String, output: String)] = [
        (
            chat(
                "labels",
                [
                    ("p1", ["Zoë O'Brien: hi", "**Elias:** yo", "[theofficial.emma]: sup"]),
                    ("p2", ["@theofficial.emma: ok", "ZOË: loud", "  Elias :  spaced"]),
                ]),
            chat("labels", [("p1", ["hi", "yo", "sup"]), ("p2", ["ok", "loud", "spaced"])])
        ),
        (
            chat("inline", [("p1", ["first line\nElias Vance: second line", "a\n**Zoë:** b"])]),
            chat("inline", [("p1", ["first line\nsecond line", "a\nb"])])
        ),
        (
            chat(
                "lookalikes",
                [
                    (
                        "p1",
                        [
                            "Thanks Elias!", "Elias's idea: try it", "I told Elias Vance: no", "meet at 10:30",
                            "@theofficial.emma check this", "Eliasson: hello", "theofficialXemma: dot is literal",
                        ]
                    )
                ]),
            chat(
                "lookalikes",
                [
                    (
                        "p1",
                        [
                            "Thanks Elias!", "Elias's idea: try it", "I told Elias Vance: no", "meet at 10:30",
                            "@theofficial.emma check this", "Eliasson: hello", "theofficialXemma: dot is literal",
                        ]
                    )
                ])
        ),
        (
            chat(
                "tags",
                [
                    (
                        "p1",
                        [
                            "hey <audio>hum</audio> anyway", "<delay minutes=\"30\"/>back",
                            "look <image>sunset</image> nice",
                        ]
                    ), ("p2", ["<gif>thumbs up</gif>", "bye <end/>"]),
                ]),
            chat(
                "tags",
                [
                    (
                        "p1",
                        [
                            "hey", "<audio>hum</audio>", "anyway", "<delay minutes=\"30\"/>", "back", "look",
                            "<image>sunset</image> nice",
                        ]
                    ), ("p2", ["<gif>thumbs up</gif>", "bye <end/>"]),
                ])
        ),
        (
            chat(
                "drops", [("p1", ["ok"]), ("p2", ["Elias Vance:", "   "]), ("p1", ["  trimmed  "]), ("p2", ["fine"])]),
            chat("drops", [("p1", ["ok", "trimmed"]), ("p2", ["fine"])])
        ),
        // Issue 9: labels without a space, full case folding and NFD, <end/> before a split.
        (
            chat(
                "nospace",
                [
                    (
                        "p1",
                        ["Zoë O'Brien:Hey", "a\nElias:Déjà vu", "Elias:)", "Elias:P", "Elias://x", "Zoë:-)", "Elias:3"]
                    ), ("p2", ["ZOË O'BRIEN: hi", "ZOE\u{0308}: nfd", "THEOFFICIAL.EMMA:ok"]),
                ]),
            chat(
                "nospace",
                [
                    ("p1", ["Hey", "a\nDéjà vu", "Elias:)", "Elias:P", "Elias://x", "Zoë:-)", "Elias:3"]),
                    ("p2", ["hi", "nfd", "ok"]),
                ])
        ),
        (
            chat(
                "end",
                [("p1", ["hi <audio>hum</audio> <end/>"]), ("p2", ["ok then <end/> <audio>sigh</audio> anyway"])]),
            chat(
                "end",
                [
                    ("p1", ["hi", "<audio>hum</audio>", "<end/>"]),
                    ("p2", ["ok then", "<audio>sigh</audio>", "anyway <end/>"]),
                ])
        ),
    ]

    /// Lines soc-scrub rejects, and the reason.
    static let rejected: [(input: String, reason: String)] = [
        (chat("emptied", [("p1", ["hi"]), ("p2", ["Elias:"]), ("p1", ["bye"])]), "emptied_by_scrub")
    ]

    @Test func corpusGivesExactOutputs() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write(
            "in.jsonl", (Self.corpus.map(\.input) + Self.rejected.map(\.input)).joined(separator: "\n") + "\n")
        let run = try ToolProcess.run(
            "soc-scrub", [input, "--report", dir.path("report.json"), "--rejects", dir.path("rejects.jsonl")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdoutLines == Self.corpus.map(\.output))
        #expect(try dir.read("rejects.jsonl") == Self.rejected.map { $0.input + "\n" }.joined())
        #expect(run.stderr.contains("\(input):8: emptied_by_scrub: $.chat_parts: scrubbing leaves 1 part"))
        let report = try dir.readJSON("report.json")
        #expect(report["modified"] as? Int == 6)
        #expect(report["reasons"] as? [String: Int] == ["emptied_by_scrub": 1])
        let changes = report["changes"] as? [String: Int] ?? [:]
        // labels 6, inline 2, drops 1, nospace 5 (the emoticons, the URL and ":3" stay).
        #expect(changes["speaker-label"] == 14)
        #expect(changes["end-tag-last"] == 1)
        #expect(changes["tag-audio-delay"] == 4)
        #expect(changes["tag-media-caption"] == 1)
        #expect(changes["drop-empty-part"] == 1)
        #expect(changes["merge-parts"] == 1)
        #expect(report["dropped_parts"] as? Int == 1)
        #expect(report["merged_parts"] as? Int == 1)
        #expect(report["rule_cache"] == nil)
    }

    @Test func theCardExamplePassesUnchanged() throws {
        let run = try ToolProcess.run("soc-scrub", [], stdin: Data((Self.cardExample + "\n").utf8))
        #expect(run.status == 0)
        #expect(run.stdout == Data((Self.cardExample + "\n").utf8))
    }

    @Test func auditAndDryRun() throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write("in.jsonl", Self.corpus.map(\.input).joined(separator: "\n") + "\n")
        let run = try ToolProcess.run(
            "soc-scrub", ["--dry-run", "--audit", dir.path("audit.jsonl"), "--report", dir.path("r.json"), input])
        #expect(run.status == 0)
        #expect(run.stdout.isEmpty)
        let audit = try dir.read("audit.jsonl").split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        // labels 6, inline 2, tags 3, drops 7 (label, 2 dropped messages, 2 trims, the part, the
        // merge), nospace 5, end 3 (a split, the <end/> moved, a split).
        #expect(audit.count == 26)
        let first = audit[0]
        #expect(first["file"] as? String == input)
        #expect(first["line"] as? Int == 1)
        #expect(first["id"] as? String == "labels")
        #expect(first["part"] as? Int == 0)
        #expect(first["message"] as? Int == 0)
        #expect(first["rule"] as? String == "speaker-label")
        #expect(first["before"] as? String == "Zoë O'Brien: hi")
        #expect(first["after"] as? String == "hi")
        let split = audit.first { $0["rule"] as? String == "tag-audio-delay" }
        #expect(split?["after"] as? [String] == ["hey", "<audio>hum</audio>", "anyway"])
        #expect(split?["line"] as? Int == 4)
        let dropped = audit.first { $0["rule"] as? String == "drop-empty-part" }
        #expect(dropped?["part"] as? Int == 1)
        #expect(dropped?["message"] is NSNull)
        let merged = audit.first { $0["rule"] as? String == "merge-parts" }
        #expect(merged?["line"] as? Int == 5)
        #expect(merged?["part"] as? Int == 2)
        let moved = audit.first { $0["rule"] as? String == "end-tag-last" }
        #expect(moved?["before"] as? String == "ok then <end/> <audio>sigh</audio> anyway")
        #expect(moved?["after"] as? String == "ok then <audio>sigh</audio> anyway <end/>")
        #expect(try dir.readJSON("r.json")["modified"] as? Int == 6)
    }

    @Test func plantedArtifactsOfTheExamplesAreRemoved() throws {
        // Tests/Fixtures/scrub/planted.tsv: line, part, message and kind of each flaw planted in
        // examples/raw.jsonl (its header says how it was made).
        let planted: [(Int, Int, Int, String)] = try String(
            contentsOf: Repository.root.appendingPathComponent("Tests/Fixtures/scrub/planted.tsv"), encoding: .utf8
        )
        .split(separator: "\n").filter { !$0.hasPrefix("#") }.map { row in
            let f = row.split(separator: "\t").map(String.init)
            return (Int(f[0])!, Int(f[1])!, Int(f[2])!, f[3])
        }
        #expect(planted.count == 32)
        let rule = [
            "label": "speaker-label", "inline": "speaker-label", "glued_image": "tag-media-caption",
            "glued_audio": "tag-audio-delay",
        ]
        let dir = try TemporaryDirectory()
        let raw = Repository.root.appendingPathComponent("examples/raw.jsonl").path
        let run = try ToolProcess.run(
            "soc-scrub",
            [
                raw, "--audit", dir.path("audit.jsonl"), "--rejects", dir.path("rejects.jsonl"), "-o",
                dir.path("out.jsonl"),
            ])
        #expect(run.status == 0, "\(run.stderr)")
        let audit = try dir.read("audit.jsonl").split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        for (line, part, message, kind) in planted {
            let here = audit.filter {
                $0["line"] as? Int == line && $0["part"] as? Int == part && $0["message"] as? Int == message
            }
            if kind == "lookalike" {
                #expect(here.isEmpty, "line \(line): a look-alike was changed: \(here)")
                continue
            }
            let change = here.first { $0["rule"] as? String == rule[kind] }
            #expect(change != nil, "line \(line) part \(part) message \(message): \(kind) not removed")
            // What the artifact was is gone from what the rule left.
            let after = (change?["after"] as? [String]) ?? [(change?["after"] as? String) ?? ""]
            if kind == "glued_image" { #expect(after.last?.hasPrefix("<image>") == true) }
            if kind == "glued_audio" { #expect(after.contains("<audio>humming a tune</audio>")) }
            if kind == "label" || kind == "inline" {
                #expect(after.allSatisfy { !$0.contains(": ") || $0.contains("<") })
            }
        }
        // Every change belongs to a planted artifact (nothing else in the sample is an artifact),
        // or to a chat the generator copied from one (exact and near duplicates).
        let plantedLines = Set(planted.map(\.0))
        for change in audit where !plantedLines.contains(change["line"] as? Int ?? 0) {
            let id = change["id"] as? String ?? ""
            let original = audit.contains {
                plantedLines.contains($0["line"] as? Int ?? 0)
                    && ($0["id"] as? String ?? "").prefix(66) == id.prefix(66)
            }
            #expect(original, "unexpected change \(change)")
        }
    }

    @Test func badRuleFilesFailAtStartUpWithStatus2() throws {
        let dir = try TemporaryDirectory()
        let rules = try dir.write(
            "bad.rules", "[ok]\npattern: x\n\n[broken]\ndescription: unbalanced\npattern: (?:a|b\n")
        let run = try ToolProcess.run("soc-scrub", ["--rules", rules], stdin: Data("{}\n".utf8))
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(
            run.stderr
                == "soc-scrub: \(rules):4: rule 'broken': pattern does not compile: missing closing parenthesis at offset 6\n"
        )
    }

    @Test func rulesFilesAddAndReplace() throws {
        let dir = try TemporaryDirectory()
        let extra = try dir.write("shout.rules", "[shout]\ndescription: !!! becomes !\npattern: !{2,}\nreplace: !\n")
        let input = Self.chat("c", [("p1", ["wow!!!", "Elias: hi"])]) + "\n"
        let added = try ToolProcess.run("soc-scrub", ["--rules", extra], stdin: Data(input.utf8))
        #expect(added.stdoutLines == [Self.chat("c", [("p1", ["wow!", "hi"])])])
        // A file named like a default one replaces it: here chat.rules with only the shout rule.
        try FileManager.default.createDirectory(atPath: dir.path("mine"), withIntermediateDirectories: true)
        try dir.write("mine/chat.rules", "[shout]\npattern: !{2,}\nreplace: !\n")
        let replaced = try ToolProcess.run("soc-scrub", ["--rules", dir.path("mine")], stdin: Data(input.utf8))
        #expect(replaced.stdoutLines == [Self.chat("c", [("p1", ["wow!", "Elias: hi"])])])
        let listed = try ToolProcess.run("soc-scrub", ["--rules", dir.path("mine"), "--list-rules"])
        #expect(
            listed.stdoutLines.map { $0.components(separatedBy: ": ").dropFirst().first ?? "" } == [
                "shout (message)", "persona-username-in-name (persona-name) [caseless]",
                "persona-handle-in-name (persona-name)",
            ])
    }

    @Test func personaFilesAndPipes() throws {
        let personas = Repository.root.appendingPathComponent("examples/personas.jsonl").path
        let run = try ToolProcess.shell("cat '\(personas)' | soc-scrub | cmp - '\(personas)' && echo same")
        #expect(run.stdoutText == "same\n")
        let leaked = #"{"name": "Brenda Miller (@BrendaM_Law)", "username": "BrendaM_Law", "age": 41}"#
        let fixed = try ToolProcess.run("soc-scrub", [], stdin: Data((leaked + "\n").utf8))
        #expect(fixed.stdoutLines == [#"{"name": "Brenda Miller", "username": "BrendaM_Law", "age": 41}"#])
    }
}
