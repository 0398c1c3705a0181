import Foundation
import Testing

@testable import SOCCore

/// Inputs the schema fuzz target (`Fuzz/SchemaFuzz.swift`) crashed on, replayed with the same
/// checks: `Tests/Fixtures/fuzz/schema-*` are a control byte, schema JSON, NUL, instance JSON.
@Suite struct SchemaFuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/fuzz")

    @Test func crashersCompileAndEvaluate() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter {
            $0.hasPrefix("schema-")
        }.sorted()
        #expect(!files.isEmpty)
        for name in files {
            let bytes = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent(name)))
            let body = bytes.dropFirst()
            let split = body.firstIndex(of: 0) ?? body.endIndex
            guard case .success(let value) = JSONValue.parse(Array(body[..<split]), maxDepth: 256) else {
                Issue.record("\(name): the schema part does not parse")
                continue
            }
            let schema = try JSONSchema(
                value: value, options: JSONSchema.Options(strictFormat: bytes.first.map { $0 & 1 == 1 } ?? false))
            let instance = split < body.endIndex ? Array(body[body.index(after: split)...]) : []
            try withDocument(bytes: instance, maxDepth: 64) { document in
                #expect(schema.isValid(document) == schema.validate(document).isEmpty, "\(name)")
            }
        }
    }

    @Test func hugeContainsCountsAreClamped() throws {
        // Fuzz crash schema-crash-ecdbd242: a maxContains beyond Int32 trapped when compiled.
        let schema = try JSONSchema(text: #"{"contains": {"minLength": 2}, "maxContains": 90071992547409931}"#)
        #expect(ValidateFixtures.withDocument(#"["ab", "cd"]"#) { schema.isValid($0!) })
        let impossible = try JSONSchema(text: #"{"contains": true, "minContains": 90071992547409931}"#)
        #expect(!ValidateFixtures.withDocument(#"[1, 2]"#) { impossible.isValid($0!) })
    }
}
