import Foundation
import SOCTestSupport
import Testing

/// soc-validate with schemas of older drafts: the draft from `$schema` or `--default-draft`,
/// an unsupported `$schema` as a usage error, and the bundled meta-schemas.
@Suite struct ValidateDraftTests {
    @Test func draftSevenSchemasWorkByTheirSchemaOrTheOption() throws {
        let dir = try TemporaryDirectory()
        let data = try dir.write("data.jsonl", "[1, \"a\"]\n[1, 2]\n")
        let body = #""items": [{"type": "integer"}], "additionalItems": {"type": "string"}"#
        let declared = try dir.write(
            "declared.json", #"{"$schema": "http://json-schema.org/draft-07/schema#", \#(body)}"#)
        let bare = try dir.write("bare.json", "{\(body)}")
        for arguments in [["--schema", declared], ["--schema", bare, "--default-draft", "7"]] {
            let outcome = try ToolProcess.run("soc-validate", arguments + ["--rejects", dir.path("bad.jsonl"), data])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(outcome.stdoutText == "[1, \"a\"]\n")
            #expect(outcome.stderr.contains("data.jsonl:2: schema_type: $[1]: expected string, got an integer"))
        }
        // Read as 2020-12, an array `items` is not a schema: a usage error.
        let strict = try ToolProcess.run("soc-validate", ["--schema", bare, data])
        #expect(strict.status == 2)
    }

    @Test func unsupportedSchemaOrDraftIsAUsageError() throws {
        let dir = try TemporaryDirectory()
        let data = try dir.write("data.jsonl", "1\n")
        let unknown = try dir.write("unknown.json", #"{"$schema": "http://json-schema.org/draft-03/schema#"}"#)
        let outcome = try ToolProcess.run("soc-validate", ["--schema", unknown, data])
        #expect(outcome.status == 2)
        #expect(outcome.stdoutText.isEmpty)
        #expect(
            outcome.stderr.contains("supported: 2020-12, 2019-09, draft-07, draft-06, draft-04"), "\(outcome.stderr)")
        let option = try ToolProcess.run("soc-validate", ["--schema", unknown, "--default-draft", "3", data])
        #expect(option.status == 2)
    }

    @Test func schemasThatRefTheMetaSchemaNeedNoNetwork() throws {
        let dir = try TemporaryDirectory()
        // Each line is a schema; the schema checks them against the draft-07 meta-schema.
        let data = try dir.write("schemas.jsonl", "{\"type\": \"string\"}\n{\"type\": 5}\n")
        let schema = try dir.write("meta.json", #"{"$ref": "https://json-schema.org/draft-07/schema"}"#)
        let outcome = try ToolProcess.run(
            "soc-validate", ["--schema", schema, "--rejects", dir.path("bad.jsonl"), data])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdoutText == "{\"type\": \"string\"}\n")
        #expect(try dir.read("bad.jsonl") == "{\"type\": 5}\n")
    }
}
