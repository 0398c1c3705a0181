import Foundation
import Testing

@testable import SOCCore

@Suite struct BundledSchemaTests {
    static let rules = ValidateFixtures.folder.deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("rules")

    func fileValue(_ name: String) throws -> JSONValue {
        let bytes = Array(try Data(contentsOf: Self.rules.appendingPathComponent(name)))
        return try JSONValue.parse(bytes).get()
    }

    @Test func compiledInCopiesMatchTheRulesFolder() throws {
        #expect(try fileValue("soc-chat.schema.json") == BundledSchemas.parse(BundledSchemas.chatText))
        #expect(try fileValue("spb-persona.schema.json") == BundledSchemas.parse(BundledSchemas.personaText))
        // Byte for byte (scripts/embed_data.py writes them).
        for file in BundledSchemaFiles.files {
            #expect(
                try String(contentsOf: Self.rules.appendingPathComponent(file.name), encoding: .utf8) == file.text,
                "\(file.name)")
        }
    }

    @Test func compiledInMetaSchemasMatchTheRulesFolder() throws {
        #expect(BundledMetaSchemaFiles.files.count == 19)
        for file in BundledMetaSchemaFiles.files {
            let url = Self.rules.appendingPathComponent("metaschemas").appendingPathComponent(file.name)
            #expect(try String(contentsOf: url, encoding: .utf8) == file.text, "\(file.name)")
        }
        // Every bundled meta-schema is found by its own id (the lookup derives ids from file names).
        for file in BundledMetaSchemaFiles.files {
            let value = BundledSchemas.parse(file.text)
            let id = (value["$id"] ?? value["id"])!.stringValue!
            let published = String(id.hasSuffix("#") ? id.dropLast() : id[...])
            #expect(BundledMetaSchemas.publishedURI(file.name) == published)
            #expect(BundledMetaSchemas.document(published) == value)
        }
    }

    /// ValidateStage compiles these at its first record and cannot report an error then.
    @Test(arguments: [false, true]) func everyBundledSchemaCompiles(strictFormat: Bool) throws {
        for layout in ChatLayout.allCases { _ = try BundledSchemas.chat(layout, strictFormat: strictFormat) }
        _ = try BundledSchemas.persona(strictFormat: strictFormat)
    }

    @Test func rulesFilesWorkAsSchemaFilesWithTheirRelativeRef() throws {
        let schema = try JSONSchema(file: Self.rules.appendingPathComponent("soc-chat.schema.json").path)
        let lines = try ValidateFixtures.lines()
        #expect(ValidateFixtures.withDocument(lines[0]) { schema.isValid($0!) })
        #expect(
            ValidateFixtures.withDocument(lines[18]) { schema.validate($0!).first?.path } == "$.experience.persona1.age"
        )
    }

    @Test func examplePersonasAreValid() throws {
        let schema = try BundledSchemas.persona()
        let text = try String(
            contentsOf: Self.rules.deletingLastPathComponent().appendingPathComponent("examples/personas.jsonl"),
            encoding: .utf8)
        for line in text.split(separator: "\n") {
            #expect(ValidateFixtures.withDocument(String(line)) { schema.validate($0!) } == [])
        }
    }
}
