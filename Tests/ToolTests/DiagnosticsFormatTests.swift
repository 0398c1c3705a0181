import Foundation
import SOCTestSupport
import Testing

/// `--diagnostics text|json|github|sarif`, the same shape for every tool: the shipped sample plus
/// 25 malformed lines (26 malformed_json in all, more than the text cap of 20), without --rejects.
@Suite struct DiagnosticsFormatTests {
    static let tools = ["soc-filter", "soc-validate", "soc-scrub", "soc-dedup", "soc-stats"]
    static let malformedCount = 26
    static let jsonKeys = ["tool", "level", "file", "line", "code", "path", "message"]

    static func input(_ dir: TemporaryDirectory) throws -> String {
        let sample = try String(
            contentsOf: Repository.root.appendingPathComponent("examples/raw.jsonl"), encoding: .utf8)
        let broken = (0..<25).map { "{\"chat_id\": \"broken-\($0)\"" }.joined(separator: "\n")
        return try dir.write("in.jsonl", sample + broken + "\n")
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    static func object(_ line: String) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    @Test(arguments: tools) func textCapsEachCodeAtTwentyThenSaysHowManyMore(tool: String) throws {
        let dir = try TemporaryDirectory()
        let outcome = try ToolProcess.run(tool, [try Self.input(dir)])
        #expect(outcome.status == 1)
        let malformed = Self.lines(outcome.stderr).filter { $0.contains(": malformed_json: ") }
        #expect(malformed.count == 20, "\(outcome.stderr)")
        #expect(malformed.allSatisfy { $0.hasPrefix(dir.path("in.jsonl") + ":") })
        #expect(
            outcome.stderr.contains("\(tool): \(Self.malformedCount - 20) more malformed_json diagnostics not shown"))
    }

    @Test(arguments: tools) func jsonWritesEveryDiagnosticAndOnlyObjectsWithTheSameKeys(tool: String) throws {
        let dir = try TemporaryDirectory()
        let input = try Self.input(dir)
        let outcome = try ToolProcess.run(tool, ["--diagnostics", "json", input])
        #expect(outcome.status == 1)
        let objects = Self.lines(outcome.stderr).map { (line: $0, object: Self.object($0)) }
        #expect(!objects.isEmpty)
        for (line, object) in objects {
            #expect(object != nil, "not a JSON object: \(line)")
            #expect(object.map { Set($0.keys) } == Set(Self.jsonKeys), "\(line)")
            // The keys in one order on every line (the serializer keeps the order written).
            let positions = Self.jsonKeys.compactMap { line.range(of: "\"\($0)\":")?.lowerBound }
            #expect(positions == positions.sorted() && positions.count == Self.jsonKeys.count, "\(line)")
            #expect(object?["tool"] as? String == tool)
        }
        let malformed = objects.compactMap(\.object).filter { $0["code"] as? String == "malformed_json" }
        #expect(malformed.count == Self.malformedCount)
        #expect(malformed.allSatisfy { $0["file"] as? String == input && ($0["line"] as? Int ?? 0) > 0 })
        #expect(malformed.allSatisfy { $0["level"] as? String == "error" })
        let last = objects.last?.object
        #expect(last?["code"] as? String == "data_failure")
        #expect((last?["message"] as? String ?? "").contains("rejected"))
        #expect(last?["file"] is NSNull)
    }

    @Test(arguments: tools) func githubWritesWorkflowCommands(tool: String) throws {
        let dir = try TemporaryDirectory()
        let input = try Self.input(dir)
        let outcome = try ToolProcess.run(tool, ["--diagnostics", "github", input])
        #expect(outcome.status == 1)
        let lines = Self.lines(outcome.stderr)
        let property = input.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
        let annotations = lines.filter { $0.hasPrefix("::error file=\(property),line=") }
        #expect(annotations.filter { $0.contains("::malformed_json: ") }.count == 20, "\(outcome.stderr)")
        #expect(lines.last?.hasPrefix("::error::\(tool): ") == true, "\(outcome.stderr)")
    }

    @Test(arguments: tools) func sarifIsOneDocumentWithEveryResult(tool: String) throws {
        let dir = try TemporaryDirectory()
        let input = try Self.input(dir)
        let outcome = try ToolProcess.run(tool, ["--diagnostics", "sarif", input])
        #expect(outcome.status == 1)
        let document = try SARIFCheck.parse(outcome.stderr)
        try SARIFCheck.hasWhatGitHubCodeScanningRequires(document)
        let results = SARIFCheck.results(document)
        #expect(results.filter { $0["ruleId"] as? String == "malformed_json" }.count == Self.malformedCount)
        let run = (document["runs"] as? [[String: Any]])?.first
        let invocation = (run?["invocations"] as? [[String: Any]])?.first
        #expect(invocation?["exitCode"] as? Int == 1)
        #expect(invocation?["executionSuccessful"] as? Bool == true)
        let path = try dir.write("doc.sarif", outcome.stderr)
        try SARIFCheck.validateAgainstSchema(path)
    }

    @Test func sarifToAFileLeavesStderrTheFailureOnly() throws {
        let dir = try TemporaryDirectory()
        let input = try Self.input(dir)
        let outcome = try ToolProcess.run(
            "soc-validate",
            [
                "--diagnostics", "sarif", "--diagnostics-file", dir.path("out.sarif"), "--personas",
                Repository.root.appendingPathComponent("examples/personas.jsonl").path, input,
            ])
        #expect(outcome.status == 1)
        #expect(Self.lines(outcome.stderr).count == 1)
        #expect(outcome.stderr.hasPrefix("soc-validate: "))
        let document = try SARIFCheck.parse(try dir.read("out.sarif"))
        try SARIFCheck.hasWhatGitHubCodeScanningRequires(document)
        let codes = Set(SARIFCheck.results(document).compactMap { $0["ruleId"] as? String })
        #expect(codes.contains("malformed_json") && codes.count > 1, "\(codes)")
        try SARIFCheck.validateAgainstSchema(dir.path("out.sarif"))
    }

    @Test func aUsageErrorComesOutInTheFormatAskedFor() throws {
        let json = try ToolProcess.run("soc-filter", ["--diagnostics", "json", "--threads", "-1"])
        #expect(json.status == 2)
        let objects = Self.lines(json.stderr).map(Self.object)
        #expect(objects.count == 1 && objects.allSatisfy { $0?["code"] as? String == "usage" }, "\(json.stderr)")
        let sarif = try ToolProcess.run("soc-dedup", ["--diagnostics=sarif", "--no-such-option"])
        #expect(sarif.status == 2)
        let document = try SARIFCheck.parse(sarif.stderr)
        let run = (document["runs"] as? [[String: Any]])?.first
        let invocation = (run?["invocations"] as? [[String: Any]])?.first
        #expect(invocation?["exitCode"] as? Int == 2)
        #expect(invocation?["executionSuccessful"] as? Bool == false)
        let notes = invocation?["toolExecutionNotifications"] as? [[String: Any]] ?? []
        #expect(
            notes.contains { (($0["message"] as? [String: Any])?["text"] as? String ?? "").contains("no-such-option") })
    }

    @Test(arguments: tools) func diagnosticsFileDashIsAUsageErrorAndWritesNoFile(tool: String) throws {
        let dir = try TemporaryDirectory()
        let input = try Self.input(dir)
        let outcome = try ToolProcess.run(tool, ["--diagnostics-file", "-", input], in: dir.url)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("--diagnostics-file -"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.path("-")))
    }

    @Test func validateFormatIsAnAliasOfDiagnostics() throws {
        let dir = try TemporaryDirectory()
        let input = try Self.input(dir)
        let alias = try ToolProcess.run("soc-validate", ["--format", "json", input])
        let option = try ToolProcess.run("soc-validate", ["--diagnostics", "json", input])
        #expect(alias.status == 1 && option.status == 1)
        #expect(alias.stderr == option.stderr)
        #expect(Self.lines(alias.stderr).allSatisfy { Self.object($0) != nil })
        let both = try ToolProcess.run("soc-validate", ["--format", "json", "--diagnostics", "github", input])
        #expect(both.status == 2)
    }

    @Test func summariesAndGatesAreObjectsInJSON() throws {
        let dir = try TemporaryDirectory()
        let input = try Self.input(dir)
        let check = try ToolProcess.run("soc-validate", ["--check", "--diagnostics", "json", input])
        #expect(check.status == 1)
        let objects = Self.lines(check.stderr).compactMap(Self.object)
        #expect(objects.count == Self.lines(check.stderr).count)
        #expect(objects.contains { $0["code"] as? String == "check_summary" && $0["level"] as? String == "note" })
        let clean = try dir.write("clean.jsonl", ChatFixture.chatLine(id: "a", messages: ["hi", "hello"]) + "\n")
        let gate = try ToolProcess.run(
            "soc-stats", ["--diagnostics", "json", "--require", "turns.p50>=1000", "--timings", clean])
        #expect(gate.status == 1)
        let gateObjects = Self.lines(gate.stderr).compactMap(Self.object)
        #expect(gateObjects.count == Self.lines(gate.stderr).count, "\(gate.stderr)")
        #expect(gateObjects.contains { $0["code"] as? String == "requirement_failed" })
        #expect(gateObjects.contains { $0["code"] as? String == "timings" })
    }

    @Test func mergeAndClusterTakeDiagnosticsToo() throws {
        let missing = try ToolProcess.run("soc-stats", ["merge", "--diagnostics", "json", "/nonexistent/a.json"])
        #expect(missing.status == 3)
        let objects = Self.lines(missing.stderr).compactMap(Self.object)
        #expect(!objects.isEmpty && objects.count == Self.lines(missing.stderr).count, "\(missing.stderr)")
        let funnel = try ToolProcess.run("soc-stats", ["funnel", "--diagnostics", "json", "/nonexistent/r.json"])
        #expect(funnel.status != 0)
        let funnelObjects = Self.lines(funnel.stderr).compactMap(Self.object)
        #expect(!funnelObjects.isEmpty && funnelObjects.count == Self.lines(funnel.stderr).count, "\(funnel.stderr)")
        let cluster = try ToolProcess.run("soc-dedup", ["cluster", "--diagnostics", "sarif", "/nonexistent/1.sig"])
        #expect(cluster.status != 0)
        _ = try SARIFCheck.parse(cluster.stderr)
    }
}
