import Foundation
import SOCTestSupport
import Testing

/// The reports people read (issue 14): the cleaning funnel of the demo's four reports, the
/// dataset card (its YAML parsed by PyYAML), merged distinct counts equal to the whole's, and
/// the HTML report in headless Chromium at 420 and 1280 px.
@Suite struct StatsReportsTests {
    static let raw = Repository.root.appendingPathComponent("examples/raw.jsonl").path
    static let personas = Repository.root.appendingPathComponent("examples/personas.jsonl").path

    /// The demo's pipeline (scripts/demo.sh) into `dir`, with each stage's --report.
    static func runDemoPipeline(in dir: TemporaryDirectory) throws {
        let outcome = try ToolProcess.shell(
            """
            set -o pipefail
            soc-validate \(raw) --personas \(personas) --rejects validate.rejects.jsonl --report validate.report.json \\
              | soc-scrub --audit scrub.audit.jsonl --report scrub.report.json \\
              | soc-dedup --key chat_id --removed dedup.removed.jsonl --report dedup.report.json \\
              | soc-filter --min-turns 4 --removed filter.removed.jsonl --report filter.report.json -o clean.jsonl
            """, in: dir.url)
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    static let stages = ["validate", "scrub", "dedup", "filter"].map { "\($0).report.json" }

    @Test func funnelOfTheDemosFourReports() throws {
        let dir = try TemporaryDirectory()
        try Self.runDemoPipeline(in: dir)
        let json = try ToolProcess.run("soc-stats", ["funnel", "--format", "json"] + Self.stages, in: dir.url)
        #expect(json.status == 0, "\(json.stderr)")
        let funnel = try #require(JSONSerialization.jsonObject(with: json.stdout) as? [String: Any])
        let lines = try String(contentsOfFile: Self.raw, encoding: .utf8).split(separator: "\n").count
        #expect(funnel["read"] as? Int == lines)
        #expect(funnel["chained"] as? Bool == true)
        let stages = try #require(funnel["stages"] as? [[String: Any]])
        #expect(stages.map { $0["tool"] as? String } == ["soc-validate", "soc-scrub", "soc-dedup", "soc-filter"])
        // Every stage accounts for its lines, and each one reads what the one before wrote.
        var previous: Int?
        for stage in stages {
            let read = stage["read"] as! Int
            let rejected = (stage["rejected_reasons"] as! [String: Int]).values.reduce(0, +)
            let removed = (stage["removed_reasons"] as! [String: Int]).values.reduce(0, +)
            #expect(rejected == stage["rejected"] as! Int)
            #expect(removed == stage["removed"] as! Int)
            #expect(read - rejected - removed == stage["written"] as! Int)
            if let previous { #expect(previous == read) }
            previous = stage["written"] as? Int
        }
        let written = try String(contentsOfFile: dir.path("clean.jsonl"), encoding: .utf8).split(separator: "\n").count
        #expect(funnel["written"] as? Int == written)
        let dedup = stages[2]["removed_reasons"] as? [String: Int]
        #expect(dedup?["near_duplicate"] == 1)

        let md = try ToolProcess.run("soc-stats", ["funnel"] + Self.stages, in: dir.url)
        #expect(md.status == 0)
        #expect(md.stdoutText.contains("| read by soc-validate | \(lines) | \(lines) |"))
        #expect(md.stdoutText.contains("soc-validate rejected `malformed_json` | −1 |"))
        let html = try ToolProcess.run(
            "soc-stats", ["funnel", "--format", "html", "-o", "f.html"] + Self.stages, in: dir.url)
        #expect(html.status == 0)
        #expect(try dir.read("f.html").contains("<svg class=\"chart bars\""))
    }

    @Test func funnelRefusesBrokenChainsAndCheckRuns() throws {
        let dir = try TemporaryDirectory()
        try Self.runDemoPipeline(in: dir)
        let swapped = try ToolProcess.run(
            "soc-stats", ["funnel", Self.stages[0], Self.stages[2], Self.stages[1], Self.stages[3]], in: dir.url)
        #expect(swapped.status == 1)
        #expect(swapped.stderr.contains("stage 3 (soc-scrub, scrub.report.json) read"))
        #expect(swapped.stderr.contains("not one pipeline in this order"))
        let check = try ToolProcess.run(
            "soc-validate", ["--check", Self.raw, "--report", "check.json"], in: dir.url)
        #expect(check.status == 1)
        let refused = try ToolProcess.run("soc-stats", ["funnel", "check.json", Self.stages[1]], in: dir.url)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("check.json: the soc-validate run of this report wrote no records"))
        let dryRun = try ToolProcess.run(
            "soc-scrub", ["--dry-run", dir.path("clean.jsonl"), "--report", "dry.json"], in: dir.url)
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        #expect(try ToolProcess.run("soc-stats", ["funnel", "dry.json"], in: dir.url).status == 2)
    }

    /// A data file name YAML must be told about: quotes, a backslash, `: #`, NEL and U+2028.
    static let oddName = "we \"i\\rd\u{85}: #x\u{2028}y ü.jsonl"

    /// `--format card`: the YAML header, parsed by PyYAML, agrees with the JSON statistics.
    @Test(arguments: [false, true])
    func cardYAMLAgreesWithTheStatistics(merged: Bool) throws {
        guard let python = PythonEnvironment.python else {
            #expect(!PythonEnvironment.isRequired, "scripts/pyenv.sh has not made .build/pyenv")
            return
        }
        let dir = try TemporaryDirectory()
        try Self.runDemoPipeline(in: dir)
        let common = ["--reports"] + Self.stages + ["--language", "en"]
        let outcome: ToolProcess.Outcome
        if merged {
            let shards = try ToolProcess.shell(
                """
                set -e
                head -n 20 clean.jsonl > a.jsonl; tail -n +21 clean.jsonl > b.jsonl
                soc-stats a.jsonl --format json -o a.json; soc-stats b.jsonl --format json -o b.json
                soc-stats clean.jsonl --format json -o stats.json
                """, in: dir.url)
            #expect(shards.status == 0, "\(shards.stderr)")
            outcome = try ToolProcess.run(
                "soc-stats",
                [
                    "merge", "a.json", "b.json", "--format", "card", "-o", "card.md", "--data-files", "data/*.jsonl",
                    Self.oddName,
                ]
                    + common, in: dir.url)
        } else {
            _ = try ToolProcess.run("soc-stats", ["clean.jsonl", "--format", "json", "-o", "stats.json"], in: dir.url)
            outcome = try ToolProcess.run(
                "soc-stats", ["clean.jsonl", "--format", "card", "-o", "card.md"] + common, in: dir.url)
        }
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let script = """
            import json, sys, yaml
            text = open("card.md", encoding="utf-8").read()
            assert text.startswith("---\\n"), "no YAML header"
            header = yaml.safe_load(text.split("---\\n")[1])
            stats = json.load(open("stats.json"))
            funnel_rows = [l for l in text.splitlines() if l.startswith("| written by ")]
            print(json.dumps({"header": header, "records": stats["records"], "size": stats["size_category"],
                              "inputs": stats["inputs"], "funnel_rows": len(funnel_rows),
                              "example_first": text.split("```json\\n")[1].split("\\n")[1].strip() if "```json" in text else None,
                              "first_key": list(json.loads(stats["example"]).keys())[0]}))
            """
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", script]
        process.currentDirectoryURL = dir.url
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let result = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        let header = try #require(result["header"] as? [String: Any])
        #expect(header["size_categories"] as? [String] == [result["size"] as! String])
        #expect(header["language"] as? [String] == ["en"])
        let info = header["dataset_info"] as? [String: Any]
        let split = (info?["splits"] as? [[String: Any]])?.first
        #expect(split?["num_examples"] as? Int == result["records"] as? Int)
        let configs = try #require(header["configs"] as? [[String: Any]])
        let files = (configs.first?["data_files"] as? [[String: Any]])?.first
        #expect(files?["split"] as? String == "train")
        #expect(
            files?["path"] as? [String] == (merged ? ["data/*.jsonl", Self.oddName] : result["inputs"] as? [String]))
        #expect(result["funnel_rows"] as? Int == 4)
        #expect((result["example_first"] as? String)?.hasPrefix("\"\(result["first_key"] as! String)\"") == true)
    }

    /// Merged distinct counts equal the whole's on the examples (chat personas and SPB personas).
    @Test func mergedDistinctCountsEqualTheWholes() throws {
        let dir = try TemporaryDirectory()
        let outcome = try ToolProcess.shell(
            """
            set -e
            cat \(Self.raw) \(Self.personas) > all.jsonl
            split -l 30 all.jsonl part.
            for f in part.*; do soc-stats "$f" --format json --rejects /dev/null -o "$f.json"; done
            soc-stats all.jsonl --format json --rejects /dev/null -o whole.json
            soc-stats merge part.*.json -o merged.json
            """, in: dir.url)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let whole = try dir.readJSON("whole.json")
        let merged = try dir.readJSON("merged.json")
        for section in ["personas", "spb"] {
            let w = try #require(whole[section] as? [String: Any])
            let m = try #require(merged[section] as? [String: Any])
            #expect((w["unique"] as? Int ?? 0) > 1, "\(section)")
            for key in ["unique", "unique_exact", "duplicate_ids"] {
                #expect((m[key] as? NSObject) == (w[key] as? NSObject), "\(section).\(key)")
            }
            #expect(m["unique_exact"] as? Bool == true)
        }
    }

    /// The HTML report in headless Chromium: no horizontal overflow at 420 and 1280 px, every
    /// chart with both axis titles and tick labels; screenshots in out/.
    @Test func htmlReportInABrowser() throws {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromedriver"].allSatisfy {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let python = PythonEnvironment.python, chromium else {
            // scripts/test.sh installs chromium (scripts/install-deps.sh) and the pyenv.
            #expect(!PythonEnvironment.isRequired, "chromium, chromium-driver or .build/pyenv is missing")
            return
        }
        let dir = try TemporaryDirectory()
        try Self.runDemoPipeline(in: dir)
        // Chats of the demo, the persona bank (SPB section), and a record of another kind; with
        // the funnel, so that every kind of chart is on the page.
        try dir.write("other.jsonl", #"{"note": "not a chat", "n": 3}"# + "\n")
        let report = try ToolProcess.run(
            "soc-stats",
            ["clean.jsonl", Self.personas, "other.jsonl", "--format", "html", "-o", "report.html", "--reports"]
                + Self.stages, in: dir.url)
        #expect(report.status == 0, "\(report.stderr)")
        let out = Repository.root.appendingPathComponent("out")
        let process = Process()
        process.executableURL = python
        process.arguments = [
            Repository.root.appendingPathComponent("scripts/report-layout.py").path, dir.path("report.html"), out.path,
            "420", "1280",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let rows = String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(rows.map { $0["width"] as? Int } == [420, 1280])
        for row in rows {
            let width = row["width"] as? Int ?? 0
            #expect(row["inner_width"] as? Int == width, "the viewport is \(width) px")
            #expect((row["scroll_width"] as? Int ?? .max) <= width, "no horizontal overflow at \(width) px: \(row)")
            #expect((row["charts"] as? Int ?? 0) >= 15)
            #expect((row["unlabelled"] as? [String]) == [], "charts without axis labels at \(width) px")
            let shot = row["screenshot"] as? String ?? ""
            #expect(FileManager.default.fileExists(atPath: shot))
        }
    }
}
