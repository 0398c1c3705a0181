import Foundation
import Testing

@testable import SOCCore

/// The official JSON-Schema-Test-Suite, drafts 2020-12, 2019-09, 7, 6 and 4, required cases
/// (not `optional/`).
///
/// Each case's `data` is serialised and parsed by our own parser, so the evaluator runs on tapes
/// exactly as it does on records. The older drafts' case schemas carry no `$schema` (the folder
/// says the draft), so each folder runs with that draft as `defaultDraft`, as `--default-draft`
/// would. Remotes are mapped with `--ref-dir`-style prefixes; the meta-schemas are the bundled
/// ones; nothing reaches the network. The cases that still fail are listed by hand, per draft,
/// in `docs/validate-conformance-failures.txt`; any other failure fails the test.
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

    /// The suite's folder name for each draft.
    static let folders: [SchemaDraft: String] = [
        .draft2020: "draft2020-12", .draft2019: "draft2019-09", .draft7: "draft7", .draft6: "draft6", .draft4: "draft4",
    ]

    static func runSuite(_ conformance: URL, draft: SchemaDraft) throws -> Outcome {
        let suite = conformance.appendingPathComponent("json-schema-test-suite")
        let options = JSONSchema.Options(
            refDirectories: [
                SchemaRefDirectory(
                    prefix: "http://localhost:1234/", directory: suite.appendingPathComponent("remotes").path)
            ], defaultDraft: draft)
        let folder = suite.appendingPathComponent("tests/" + folders[draft]!)
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
                            "\(folders[draft]!) | \(file) | \(groupName) | \(test["description"]?.stringValue ?? "?") | schema did not compile: \(error)"
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
                            "\(folders[draft]!) | \(file) | \(groupName) | \(test["description"]?.stringValue ?? "?") | \(why)"
                        )
                    }
                }
            }
        }
        return outcome
    }

    /// The cases of `draft` that `docs/validate-conformance-failures.txt` lists as still failing
    /// (updated by hand; each line starts with the draft's folder name).
    static func knownFailures(_ draft: SchemaDraft) throws -> Set<String> {
        let text = try String(
            contentsOf: packageRoot().appendingPathComponent("docs/validate-conformance-failures.txt"), encoding: .utf8)
        return Set(
            text.split(separator: "\n").map(String.init).filter {
                !$0.hasPrefix("#") && $0.hasPrefix(folders[draft]! + " | ")
            })
    }

    /// Every required case passes except those in the checked-in list: a new failure (a
    /// regression) fails the test, and so does a listed case that now passes (the list must be
    /// edited to say so). The test writes nothing into the repository.
    @Test(.enabled(if: conformance != nil, "needs ../shared/conformance"), arguments: SchemaDraft.allCases)
    func requiredCasesFailOnlyWhereListed(_ draft: SchemaDraft) throws {
        let outcome = try Self.runSuite(Self.conformance!, draft: draft)
        let known = try Self.knownFailures(draft)
        let failing = Set(outcome.failures)
        let percent = Double(outcome.passed * 1000 / max(outcome.total, 1)) / 10
        print(
            "JSON-Schema-Test-Suite \(Self.folders[draft]!) (required): \(outcome.passed)/\(outcome.total) passed (\(percent)%)"
        )
        #expect(outcome.total > 500)
        let new = failing.subtracting(known).sorted()
        #expect(new.isEmpty, "failures not in docs/validate-conformance-failures.txt:\n\(new.joined(separator: "\n"))")
        let fixed = known.subtracting(failing).sorted()
        #expect(
            fixed.isEmpty,
            "listed in docs/validate-conformance-failures.txt but passing now (remove them):\n\(fixed.joined(separator: "\n"))"
        )
    }
}
