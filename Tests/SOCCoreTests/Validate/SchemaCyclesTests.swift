import Testing

@testable import SOCCore

/// A `$ref` cycle that never moves into the instance is a bad schema; recursion that does is fine.
@Suite struct SchemaCyclesTests {
    func compiles(_ schema: String) -> Bool {
        do {
            _ = try JSONSchema(text: schema)
            return true
        } catch {
            return false
        }
    }

    @Test func cyclesInPlaceAreRefused() throws {
        for schema in [
            ##"{"$ref": "#"}"##, ##"{"allOf": [{"$ref": "#"}]}"##, ##"{"anyOf": [{"type": "string"}, {"$ref": "#"}]}"##,
            ##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"not": {"$ref": "#/$defs/a"}}}, "$ref": "#/$defs/a"}"##,
            ##"{"if": {"$ref": "#"}}"##, ##"{"dependentSchemas": {"x": {"$ref": "#"}}}"##,
            ##"{"$dynamicAnchor": "m", "oneOf": [{"$dynamicRef": "#m"}]}"##,
        ] {
            #expect(!compiles(schema), "\(schema)")
        }
        do {
            _ = try JSONSchema(text: ##"{"allOf": [{"$ref": "#"}]}"##)
        } catch {
            #expect(error.message.contains("never descends into the instance"))
            #expect(error.message.contains("#/allOf/0"))
        }
    }

    @Test func recursionThroughTheInstanceIsAllowed() throws {
        for schema in [
            ##"{"properties": {"a": {"$ref": "#"}}}"##, ##"{"items": {"$ref": "#"}}"##,
            ##"{"prefixItems": [{"$ref": "#"}]}"##,
            ##"{"additionalProperties": {"$ref": "#"}}"##, ##"{"contains": {"$ref": "#"}}"##,
            ##"{"propertyNames": {"$ref": "#"}}"##,
            ##"{"anyOf": [{"type": "integer"}, {"items": {"$ref": "#"}}]}"##,
            ##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"type": "null"}}, "allOf": [{"$ref": "#/$defs/a"}]}"##,
        ] {
            #expect(compiles(schema), "\(schema)")
        }
        let tree = try JSONSchema(
            text: ##"{"type": "object", "properties": {"a": {"$ref": "#"}}, "additionalProperties": false}"##)
        #expect(ValidateFixtures.withDocument(##"{"a": {"a": {}}}"##) { tree.isValid($0!) })
        #expect(!ValidateFixtures.withDocument(##"{"a": {"a": {"b": 1}}}"##) { tree.isValid($0!) })
    }
}
