import Foundation
import Testing

@testable import SOCCore

/// Picking a schema's draft from `$schema` (or the default), each draft's own rules, and the
/// bundled meta-schemas. The conformance suite covers the rules case by case; these pin the
/// choices of dialect that the suite does not exercise (its old-draft cases carry no `$schema`).
@Suite struct SchemaDraftTests {
    func isValid(_ schema: String, _ instance: String, options: JSONSchema.Options = .init()) throws -> Bool {
        let compiled = try JSONSchema(text: schema, options: options)
        return ValidateFixtures.withDocument(instance) { compiled.isValid($0!) }
    }

    func compileError(_ schema: String) -> String? {
        do {
            _ = try JSONSchema(text: schema)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func schemaURIsNameTheirDraftWithEitherSchemeAndWithOrWithoutHash() throws {
        for uri in [
            "http://json-schema.org/draft-07/schema#", "https://json-schema.org/draft-07/schema",
            "http://json-schema.org/draft-07/schema",
        ] {
            #expect(SchemaDraft(metaSchema: uri) == .draft7, "\(uri)")
            let schema = #"{"$schema": "\#(uri)", "items": [{"type": "integer"}], "additionalItems": false}"#
            #expect(try JSONSchema(text: schema).draft == .draft7)
            #expect(try isValid(schema, "[1]"))
            #expect(try !isValid(schema, #"["a"]"#))
            #expect(try !isValid(schema, "[1, 2]"), "additionalItems applies after the array items")
        }
        #expect(SchemaDraft(metaSchema: "https://json-schema.org/draft/2019-09/schema#") == .draft2019)
        #expect(SchemaDraft(metaSchema: "http://json-schema.org/draft-04/schema#") == .draft4)
        #expect(SchemaDraft(metaSchema: "http://json-schema.org/draft-03/schema#") == nil)
        #expect(try JSONSchema(text: "{}").draft == .draft2020)
    }

    @Test func unknownAndDraft3SchemasAreRefusedNamingTheSupportedDrafts() {
        let unknown = compileError(#"{"$schema": "https://example.org/my-dialect"}"#)
        #expect(unknown?.contains("https://example.org/my-dialect") == true)
        #expect(unknown?.contains("2020-12, 2019-09, draft-07, draft-06, draft-04") == true)
        let draft3 = compileError(#"{"$schema": "http://json-schema.org/draft-03/schema#"}"#)
        #expect(draft3?.contains("draft-03 is not supported") == true, "\(draft3 ?? "compiled")")
    }

    @Test func theDefaultDraftAppliesWithoutSchema() throws {
        let schema = #"{"maximum": 3, "exclusiveMaximum": true}"#
        // Draft 4 reads the boolean as "strictly below 3"; 2020-12 refuses it, saying why.
        #expect(try isValid(schema, "2", options: .init(defaultDraft: .draft4)))
        #expect(try !isValid(schema, "3", options: .init(defaultDraft: .draft4)))
        #expect(compileError(schema)?.contains("a boolean is draft-04's") == true)
        // Before 2019-09 a $ref hides its siblings.
        let ref = ##"{"$defs": {"n": {"type": "integer"}}, "$ref": "#/$defs/n", "minimum": 10}"##
        #expect(try isValid(ref, "5", options: .init(defaultDraft: .draft7)))
        #expect(try !isValid(ref, "5"))
        #expect(try !isValid(ref, "5", options: .init(defaultDraft: .draft2019)))
    }

    /// (A draft-04 resource is named by its `id`, as that draft says.)
    @Test func anEmbeddedResourceWithItsOwnSchemaUsesItsOwnDraft() throws {
        let schema = #"""
            {
              "$schema": "https://json-schema.org/draft/2020-12/schema",
              "$defs": {
                "old": {
                  "id": "https://example.org/old.json",
                  "$schema": "http://json-schema.org/draft-04/schema#",
                  "items": [{"type": "integer"}],
                  "additionalItems": false
                }
              },
              "properties": {"old": {"$ref": "https://example.org/old.json"}, "new": {"items": false, "prefixItems": [{}]}}
            }
            """#
        #expect(try isValid(schema, #"{"old": [1], "new": [1]}"#))
        #expect(try !isValid(schema, #"{"old": [1, 2]}"#))
        #expect(try !isValid(schema, #"{"new": [1, 2]}"#))
    }

    @Test func bundledMetaSchemasResolveWithoutNetwork() throws {
        for (uri, draft) in [
            ("http://json-schema.org/draft-07/schema#", SchemaDraft.draft7),
            ("https://json-schema.org/draft-07/schema", .draft7),
            ("http://json-schema.org/draft-04/schema#", .draft4),
            ("http://json-schema.org/draft-06/schema#", .draft6),
            ("https://json-schema.org/draft/2019-09/schema", .draft2019),
            ("https://json-schema.org/draft/2020-12/schema", .draft2020),
        ] {
            // A schema whose values must themselves be schemas of that draft.
            let schema = #"{"additionalProperties": {"$ref": "\#(uri)"}}"#
            #expect(try isValid(schema, #"{"a": {"type": "string", "minLength": 1}}"#), "\(draft)")
            #expect(try !isValid(schema, #"{"a": {"type": 5}}"#), "\(draft)")
            #expect(try !isValid(schema, #"{"a": {"minLength": -1}}"#), "\(draft)")
        }
    }

    @Test func draftNamesForTheOption() {
        #expect(SchemaDraft(name: "7") == .draft7)
        #expect(SchemaDraft(name: "draft-04") == .draft4)
        #expect(SchemaDraft(name: "2019-09") == .draft2019)
        #expect(SchemaDraft(name: "3") == nil)
        for draft in SchemaDraft.allCases { #expect(SchemaDraft(name: draft.rawValue) == draft) }
    }
}
