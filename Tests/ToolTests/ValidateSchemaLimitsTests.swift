import Foundation
import SOCTestSupport
import Testing

/// soc-validate under hostile schemas and instances (issue 11 items 8 and 12): exact numbers,
/// `$ref` cycles refused at start, and no option value that crashes it.
@Suite struct ValidateSchemaLimitsTests {
    @Test func refCyclesThatNeverDescendAreUsageErrors() throws {
        let dir = try TemporaryDirectory()
        let data = try dir.write("data.jsonl", "1\n{\"a\": {\"a\": 2}}\n")
        for (name, text) in [("self.json", ##"{"$ref": "#"}"##), ("all.json", ##"{"allOf": [{"$ref": "#"}]}"##)] {
            let schema = try dir.write(name, text)
            let outcome = try ToolProcess.run("soc-validate", ["--schema", schema, data])
            #expect(outcome.status == 2, "\(name)")
            #expect(outcome.stdoutText.isEmpty)
            #expect(outcome.stderr.contains("$ref cycle never descends into the instance"), "\(outcome.stderr)")
        }
        let recursive = try dir.write(
            "tree.json", ##"{"properties": {"a": {"$ref": "#"}}, "type": ["object", "integer"]}"##)
        let outcome = try ToolProcess.run("soc-validate", ["--schema", recursive, data])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdoutText == "1\n{\"a\": {\"a\": 2}}\n")
    }

    @Test func schemasTooDeepToCompileAreUsageErrors() throws {
        let dir = try TemporaryDirectory()
        let data = try dir.write("data.jsonl", "1\n")
        let nested = try dir.write(
            "nested.json", String(repeating: #"{"not":"#, count: 10_000) + "{}" + String(repeating: "}", count: 10_000))
        let first = try ToolProcess.run("soc-validate", ["--schema", nested, data])
        #expect(first.status == 2)
        #expect(first.stderr.contains("nesting deeper than 256 levels"), "\(first.stderr)")
        // A long $ref chain is flat JSON; the compiler follows it and stops before the stack ends.
        let n = 20_000
        let defs = (0..<n).map { "\"a\($0)\": {\"$ref\": \"#/$defs/a\($0 + 1)\"}" }.joined(separator: ", ")
        let chain = try dir.write(
            "chain.json", "{\"$defs\": {" + defs + ", \"a\(n)\": {\"type\": \"integer\"}}, \"$ref\": \"#/$defs/a0\"}")
        let second = try ToolProcess.run("soc-validate", ["--schema", chain, data])
        #expect(second.status == 2)
        #expect(second.stderr.contains("nest too deeply to compile"), "\(second.stderr)")
    }

    @Test func bigIntegersCompareExactly() throws {
        let dir = try TemporaryDirectory()
        let schema = try dir.write("max.json", #"{"maximum": 9007199254740992}"#)
        let data = try dir.write("data.jsonl", "9007199254740992\n9007199254740993\n")
        let outcome = try ToolProcess.run(
            "soc-validate", ["--schema", schema, "--rejects", dir.path("bad.jsonl"), data])
        #expect(outcome.status == 0)
        #expect(outcome.stdoutText == "9007199254740992\n")
        #expect(try dir.read("bad.jsonl") == "9007199254740993\n")
        #expect(
            outcome.stderr.contains(
                "data.jsonl:2: schema_maximum: $: 9007199254740993 is greater than 9007199254740992"))
    }

    @Test func noDepthCrashesIt() throws {
        // 60,000-deep arrays under uniqueItems and 100,000 under a recursive schema, with the
        // depth limit raised far beyond them: verdicts or too_deep rejections, never a signal.
        let dir = try TemporaryDirectory()
        let n = 60_000
        let deep = String(repeating: "[", count: n) + String(repeating: "]", count: n)
        let nested = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let data = try dir.write("deep.jsonl", "[\(deep),\(deep)]\n[\(deep),[\(deep)]]\n\(nested)\n[[]]\n")
        let unique = try dir.write("unique.json", #"{"uniqueItems": true}"#)
        let first = try ToolProcess.run(
            "soc-validate", ["--schema", unique, "--max-depth", "2000000", "--rejects", dir.path("bad.jsonl"), data])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdoutLines.count == 3)
        #expect(first.stderr.contains("deep.jsonl:1: schema_unique_items: $: items 0 and 1 are equal"))

        let recursive = try dir.write("items.json", ##"{"items": {"$ref": "#"}}"##)
        let second = try ToolProcess.run(
            "soc-validate", ["--schema", recursive, "--max-depth", "2000000", "--rejects", dir.path("bad.jsonl"), data])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdoutText.hasSuffix("[[]]\n"))
        #expect(second.stderr.contains("deep.jsonl:3: too_deep: "))
        let report = second.stderr.split(separator: "\n").filter { $0.contains("too_deep") }
        #expect(report.allSatisfy { $0.contains("nested too deeply to evaluate against the schema") })
    }
}
