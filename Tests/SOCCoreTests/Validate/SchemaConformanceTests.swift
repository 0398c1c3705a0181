import Foundation
import Testing

@testable import SOCCore

/// The official JSON-Schema-Test-Suite, draft 2020-12, required cases (not `optional/`).
///
/// Each case's `data` is serialised and parsed by our own parser, so the evaluator runs on tapes
/// exactly as it does on records. Remotes are mapped with `--ref-dir`-style prefixes; nothing
/// reaches the network. The cases that still fail are listed by hand in
/// `docs/validate-conformance-failures.txt`; any other failure fails the test.
@Suite struct SchemaConformanceTests {
    /// `../shared/conformance` beside the package (also from a worktree two levels down), or nil.
    static let conformance: URL? = {
        let root = packageRoot()
        var candidates = [
            root.deletingLastPathComponent(), root.deletingLastPathComponent().deletingLastPathComponent(),
        ]
        .map { $0.appendingPathComponent("shared/conformance") }
        if let override = ProcessInfo.processInfo.environment["SOC_SHARED"] {
            candidates.insert(URL(fileURLWithPath: override).appendingPathComponent("conformance"), at: 0)
        }
        return candidates.first {
            FileManager.default.fileExists(
                atPath: $0.appendingPathComponent("json-schema-test-suite/tests/draft2020-12").path)
        }
    }()

    static func packageRoot() -> URL {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url = url.deletingLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }

    struct Outcome {
        var passed = 0
        var total = 0
        var failures: [String] = []
    }

    static func runSuite(_ conformance: URL) throws -> Outcome {
        let suite = conformance.appendingPathComponent("json-schema-test-suite")
        let options = JSONSchema.Options(refDirectories: [
            SchemaRefDirectory(
                prefix: "http://localhost:1234/", directory: suite.appendingPathComponent("remotes").path),
            SchemaRefDirectory(
                prefix: "https://json-schema.org/draft/2020-12/",
                directory: conformance.appendingPathComponent("metaschemas/draft2020-12").path),
        ])
        let folder = suite.appendingPathComponent("tests/draft2020-12")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
            .sorted()
        var outcome = Outcome()
        let parser = JSONParser(maxDepth: 10_000)
        for file in files {
            let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(file)))
            guard case .success(let groups) = JSONValue.parse(bytes), let list = groups.arrayValue else {
                Issue.record("\(file) is not valid JSON")
                continue
            }
            for group in list {
                let groupName = group["description"]?.stringValue ?? "?"
                let cases = group["tests"]?.arrayValue ?? []
                let schema: JSONSchema
                do {
                    schema = try JSONSchema(value: group["schema"] ?? .bool(true), options: options)
                } catch {
                    outcome.total += cases.count
                    for test in cases {
                        outcome.failures.append(
                            "\(file) | \(groupName) | \(test["description"]?.stringValue ?? "?") | schema did not compile: \(error)"
                        )
                    }
                    continue
                }
                for test in cases {
                    outcome.total += 1
                    let expected = test["valid"] == .bool(true)
                    let text = Array((test["data"] ?? .null).serialized().utf8)
                    let (valid, consistent) = text.withUnsafeBytes { raw -> (Bool, Bool) in
                        guard case .success(let document) = parser.parse(raw) else { return (!expected, true) }
                        let valid = schema.isValid(document)
                        // The reporting pass must agree with the fast pass.
                        let violations = schema.validate(document)
                        return (valid, violations.isEmpty == valid)
                    }
                    if valid == expected && consistent {
                        outcome.passed += 1
                    } else {
                        let why =
                            consistent
                            ? "expected \(expected ? "valid" : "invalid")" : "fast and reporting passes disagree"
                        outcome.failures.append(
                            "\(file) | \(groupName) | \(test["description"]?.stringValue ?? "?") | \(why)")
                    }
                }
            }
        }
        return outcome
    }

    /// The cases `docs/validate-conformance-failures.txt` lists as still failing (updated by hand).
    static func knownFailures() throws -> Set<String> {
        let text = try String(
            contentsOf: packageRoot().appendingPathComponent("docs/validate-conformance-failures.txt"), encoding: .utf8)
        return Set(text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty })
    }

    /// Every required case passes except those in the checked-in list: a new failure (a
    /// regression) fails the test, and so does a listed case that now passes (the list must be
    /// edited to say so). The test writes nothing into the repository.
    @Test(.enabled(if: conformance != nil, "needs ../shared/conformance"))
    func draft2020RequiredCasesFailOnlyWhereListed() throws {
        let outcome = try Self.runSuite(Self.conformance!)
        let known = try Self.knownFailures()
        let failing = Set(outcome.failures)
        print("JSON-Schema-Test-Suite draft2020-12 (required): \(outcome.passed)/\(outcome.total) passed")
        #expect(outcome.total > 1000)
        let new = failing.subtracting(known).sorted()
        #expect(new.isEmpty, "failures not in docs/validate-conformance-failures.txt:\n\(new.joined(separator: "\n"))")
        let fixed = known.subtracting(failing).sorted()
        #expect(
            fixed.isEmpty,
            "listed in docs/validate-conformance-failures.txt but passing now (remove them):\n\(fixed.joined(separator: "\n"))"
        )
    }
}
