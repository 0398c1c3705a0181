import Foundation
import SOCTestSupport
import Testing

/// soc-validate end to end: the built executable on the fixture corpus
/// (Tests/Fixtures/validate: one broken record per reason code, good records between).
@Suite struct ValidateTests {
    static let fixtures = Repository.root.appendingPathComponent("Tests/Fixtures/validate")
    static let corpus = fixtures.appendingPathComponent("corpus.jsonl").path
    static let personas = fixtures.appendingPathComponent("personas.jsonl").path

    /// (line number, code, path) per corpus line; code `ok` for good records.
    static func expected() throws -> [(line: Int, code: String, path: String)] {
        try String(contentsOf: fixtures.appendingPathComponent("expected.tsv"), encoding: .utf8).split(separator: "\n")
            .map {
                let cells = $0.split(separator: "\t").map(String.init)
                return (Int(cells[0])!, cells[1], cells[2])
            }
    }

    static func corpusLines() throws -> [String] {
        try String(contentsOf: URL(fileURLWithPath: corpus), encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func goodRecordsPassByteIdenticalAndEveryBadOneIsRejectedWithItsCode() throws {
        let dir = try TemporaryDirectory()
        let outcome = try ToolProcess.run(
            "soc-validate",
            [
                "--personas", Self.personas, "--rejects", dir.path("bad.jsonl"), "--errors", dir.path("errors.jsonl"),
                "--report", dir.path("report.json"), Self.corpus,
            ])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = try Self.corpusLines()
        let expected = try Self.expected()
        let good = zip(lines, expected).filter { $0.1.code == "ok" }.map(\.0)
        let bad = zip(lines, expected).filter { $0.1.code != "ok" }.map(\.0)
        #expect(outcome.stdout == Data((good.joined(separator: "\n") + "\n").utf8))
        #expect(try dir.read("bad.jsonl") == bad.joined(separator: "\n") + "\n")

        // Every diagnostic line names the line, the code and the path the corpus expects.
        let diagnostics = outcome.stderr.split(separator: "\n").map(String.init)
        for row in expected where row.code != "ok" {
            let prefix = "\(Self.corpus):\(row.line): \(row.code): " + (row.path == "-" ? "" : "\(row.path): ")
            #expect(diagnostics.contains { $0.hasPrefix(prefix) }, "no diagnostic \(prefix)")
        }

        // The report's counts add up and match the corpus.
        let report = try dir.readJSON("report.json")
        let read = report["read"] as? Int ?? -1
        let written = report["written"] as? Int ?? -1
        let rejected = report["rejected"] as? Int ?? -1
        let removed = report["removed"] as? Int ?? -1
        let reasons = report["reasons"] as? [String: Int] ?? [:]
        #expect(read == lines.count)
        #expect(read == written + rejected + removed)
        #expect(written == good.count && rejected == bad.count)
        #expect(reasons.values.reduce(0, +) == rejected + removed)
        var counts: [String: Int] = [:]
        for row in expected where row.code != "ok" { counts[row.code, default: 0] += 1 }
        #expect(reasons == counts)

        // --errors: every problem as JSONL, the first of each record being its reason.
        let errors = try dir.read("errors.jsonl").split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        #expect(Set(errors.map { $0["line"] as! Int }) == Set(expected.filter { $0.code != "ok" }.map(\.line)))
        for row in expected where row.code != "ok" {
            let first = errors.first { $0["line"] as? Int == row.line }
            #expect(first?["code"] as? String == row.code)
            #expect(first?["file"] as? String == Self.corpus)
            #expect(Set(first?.keys.map { $0 } ?? []) == ["file", "line", "id", "code", "path", "message"])
        }
        let duplicate = errors.first { $0["code"] as? String == "duplicate_id" }
        #expect((duplicate?["id"] as? String)?.hasSuffix("_1754600010") == true)
        #expect(errors.count > bad.count, "records with several problems list them all")
    }

    @Test func duplicateIDsOnTwoThreadsMatchOnePassInInputOrder() throws {
        // Personas whose ids repeat across many batches; the first copy of every fifth id is broken
        // (so the next good copy must be accepted), later good copies are duplicates.
        func persona(_ k: Int, id: Int, broken: Bool) -> String {
            let hex = String(repeating: "0", count: 24) + String(format: "%08x", id)
            return
                #"{"name": "P\#(k)", "username": null, "age": \#(broken ? "\"old\"" : "40"), "traits": ["calm", "witty", "kind"], "background": "B.", "chatting_style": "S.", "model": "m", "id": "\#(hex)"}"#
        }
        var lines: [String] = []
        var expectedKept: [String] = []
        var expectedDuplicates: [Int] = []
        var taken = Set<Int>()
        var seen = Set<Int>()
        for k in 0..<24_000 {
            let id = (k * 7919) % 6_000
            let broken = id % 5 == 0 && !seen.contains(id)
            seen.insert(id)
            let line = persona(k, id: id, broken: broken)
            lines.append(line)
            if broken { continue }
            if taken.insert(id).inserted { expectedKept.append(line) } else { expectedDuplicates.append(k + 1) }
        }
        let dir = try TemporaryDirectory()
        let input = try dir.write("personas.jsonl", lines.joined(separator: "\n") + "\n")
        let run = try ToolProcess.run(
            "soc-validate",
            [
                input, "--rejects", dir.path("rej.jsonl"), "--errors", dir.path("errors.jsonl"), "--report",
                dir.path("r.json"),
            ])
        #expect(run.status == 0)
        #expect(run.stdoutLines == expectedKept)
        let errors = try dir.read("errors.jsonl").split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        let duplicateLines = errors.filter { $0["code"] as? String == "duplicate_id" }.compactMap { $0["line"] as? Int }
        #expect(duplicateLines == expectedDuplicates)
        #expect(errors.allSatisfy { ($0["id"] as? String)?.count == 32 }, "every error names its record's id")
        let reasons = try dir.readJSON("r.json")["reasons"] as? [String: Int]
        #expect(reasons?["duplicate_id"] == expectedDuplicates.count)
    }

    @Test func checkModeAnnotatesForGitHubAndFails() throws {
        let outcome = try ToolProcess.run(
            "soc-validate", ["--check", "--format", "github", "--personas", Self.personas, Self.corpus])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.isEmpty)
        let annotations = outcome.stderr.split(separator: "\n").filter { $0.hasPrefix("::error ") }
        let expected = try Self.expected().filter { $0.code != "ok" }
        #expect(annotations.count == expected.count)
        let file = Self.corpus.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
        #expect(
            annotations.contains {
                $0
                    == "::error file=\(file),line=5::unknown_sender: $.chat_parts[1].sender: 9a9b9c9d9e9f90919293949596979899 is neither persona1's nor persona2's id"
            })
        let all = try Self.expected()
        #expect(
            outcome.stderr.contains(
                "\(all.count) records checked: \(all.count - expected.count) valid, \(expected.count) invalid"))
        #expect(!outcome.stderr.contains("use --rejects"))
        #expect(outcome.stderr.contains("| unknown_sender "))
        #expect(outcome.stderr.contains("| duplicate_id                 |     2 |"))
    }

    @Test func checkModePassesACleanFile() throws {
        let dir = try TemporaryDirectory()
        let good = zip(try Self.corpusLines(), try Self.expected()).filter { $0.1.code == "ok" }.map(\.0)
        let path = try dir.write("good.jsonl", good.joined(separator: "\n") + "\n")
        let outcome = try ToolProcess.run("soc-validate", ["--check", path])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty)
        #expect(outcome.stderr.contains("4 records checked: 4 valid, 0 invalid"))
    }

    @Test func compressedPersonaBankWithCRLFReadsLikeThePlainOne() throws {
        let examples = Repository.root.appendingPathComponent("examples").path
        let dir = try TemporaryDirectory()
        let prepared = try ToolProcess.shell(
            "sed 's/$/\\r/' '\(examples)/personas.jsonl' | zstd -q -o bank.jsonl.zst", in: dir.url)
        #expect(prepared.status == 0, "\(prepared.stderr)")
        let plain = try ToolProcess.run(
            "soc-validate",
            ["\(examples)/raw.jsonl", "--personas", "\(examples)/personas.jsonl", "--rejects", dir.path("a.rej")])
        let packed = try ToolProcess.run(
            "soc-validate",
            ["\(examples)/raw.jsonl", "--personas", dir.path("bank.jsonl.zst"), "--rejects", dir.path("b.rej")])
        #expect(plain.status == 0 && packed.status == 0, "\(packed.stderr)")
        #expect(packed.stdout == plain.stdout)
        #expect(packed.stdoutLines.count == 51)
        let missing = try ToolProcess.run(
            "soc-validate", ["\(examples)/raw.jsonl", "--personas", dir.path("nope.jsonl")])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("nope.jsonl"))
    }

    @Test func examplesValidateInAPipe() throws {
        let examples = Repository.root.appendingPathComponent("examples").path
        let dir = try TemporaryDirectory()
        let outcome = try ToolProcess.shell(
            "cat \(examples)/raw.jsonl | soc-validate --personas \(examples)/personas.jsonl --rejects rejected.jsonl | wc -l",
            in: dir.url)
        #expect(outcome.status == 0)
        #expect(Int(outcome.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)) == 51)
        #expect(try dir.read("rejected.jsonl").split(separator: "\n").count == 5)
    }

    @Test func customSchemaTakesAnyJSONValue() throws {
        let dir = try TemporaryDirectory()
        let schema = try dir.write("true.json", "true")
        let data = try dir.write("data.jsonl", "1\n\"two\"\n[3]\n{\"four\": 4\n null\n")
        let outcome = try ToolProcess.run(
            "soc-validate", ["--schema", schema, "--rejects", dir.path("bad.jsonl"), data])
        #expect(outcome.status == 0)
        #expect(outcome.stdoutText == "1\n\"two\"\n[3]\n null\n")
        #expect(try dir.read("bad.jsonl") == "{\"four\": 4\n")

        let typed = try dir.write("int.json", #"{"type": "integer", "minimum": 2}"#)
        let second = try ToolProcess.run("soc-validate", ["--schema", typed, "--format", "json", data])
        #expect(second.status == 1)
        #expect(second.stdoutText.isEmpty)
        let first = second.stderr.split(separator: "\n").first.map(String.init) ?? ""
        let object = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]
        #expect(object?["code"] as? String == "schema_minimum")
        #expect(object?["line"] as? Int == 1)
    }

    @Test func refDirAndStrictFormatFromTheCommandLine() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(
            at: dir.url.appendingPathComponent("defs"), withIntermediateDirectories: true)
        try dir.write("defs/day.json", #"{"type": "string", "format": "date"}"#)
        let schema = try dir.write(
            "schema.json", #"{"properties": {"day": {"$ref": "https://example.org/defs/day.json"}}}"#)
        let data = try dir.write("data.jsonl", "{\"day\": \"2024-02-29\"}\n{\"day\": \"2023-02-29\"}\n{\"day\": 5}\n")
        let mapping = "https://example.org/=\(dir.url.path)/"
        let lenient = try ToolProcess.run(
            "soc-validate", ["--schema", schema, "--ref-dir", mapping, "--rejects", dir.path("bad.jsonl"), data])
        #expect(lenient.status == 0, "\(lenient.stderr)")
        #expect(lenient.stdoutLines.count == 2)
        let strict = try ToolProcess.run(
            "soc-validate",
            ["--schema", schema, "--ref-dir", mapping, "--strict-format", "--rejects", dir.path("bad.jsonl"), data])
        #expect(strict.stdoutLines == [#"{"day": "2024-02-29"}"#])
        #expect(strict.stderr.contains("data.jsonl:2: schema_format: $.day: "))
        #expect(strict.stderr.contains("data.jsonl:3: schema_type: $.day: "))
        // Without the mapping the reference cannot be read: a usage error, before any record.
        #expect(try ToolProcess.run("soc-validate", ["--schema", schema, data]).status == 2)
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try ToolProcess.run("soc-validate", ["--kind", "chat", Self.corpus]).status == 2)
        #expect(try ToolProcess.run("soc-validate", ["--schema", "/nonexistent/schema.json", Self.corpus]).status == 2)
        #expect(try ToolProcess.run("soc-validate", ["--ref-dir", "nodir", Self.corpus]).status == 2)
        #expect(try ToolProcess.run("soc-validate", ["--skip", "no_such_code", Self.corpus]).status == 2)
        let help = try ToolProcess.run("soc-validate", ["--help"])
        for code in ["unknown_sender", "duplicate_id", "persona_mismatch", "early_end"] {
            #expect(help.stdoutText.contains(code))
        }
    }
}
