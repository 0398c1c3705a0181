import Testing

@testable import SOCCore

/// An object checked in quick form (`SchemaQuickObject`, yes/no passes) against the same
/// schema walked keyword by keyword: the reporting pass, and the yes/no pass of the schema with
/// one more keyword (`minProperties: 0`, which keeps the walk and its fused `shape`).
@Suite struct SchemaQuickObjectTests {
    static let schemas = [
        // A SOC chat part.
        #"{"type": "object", "required": ["sender", "messages"], "properties": {"sender": {"type": "string", "pattern": "^[0-9a-f]{4}$"}, "messages": {"type": "array", "minItems": 1, "items": {"type": "string"}}}, "additionalProperties": false}"#,
        // An SPB persona: a `$ref` to a quick leaf, items of a quick leaf, minimum and maximum.
        ##"{"type": "object", "required": ["name", "age", "traits", "id"], "properties": {"name": {"type": "string", "minLength": 1}, "username": {"type": ["string", "null"], "minLength": 1}, "age": {"type": "integer", "minimum": 16, "maximum": 100}, "traits": {"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "string", "minLength": 1}}, "id": {"$ref": "#/$defs/hex"}}, "additionalProperties": false, "$defs": {"hex": {"type": "string", "pattern": "^[0-9a-f]{4}$"}}}"##,
        // Open, without `type`, with `true` and `false` properties.
        #"{"properties": {"a": true, "b": false, "c": {"type": "integer"}}, "required": ["c"]}"#,
        #"{"type": ["object", "null"], "properties": {"x": {"exclusiveMinimum": 1.5, "exclusiveMaximum": 99999999999999999999}}}"#,
    ]
    static let instances = [
        #"{"sender": "0a9f", "messages": ["hi"]}"#, #"{"messages": ["hi"], "sender": "0a9f"}"#,
        #"{"sender": "0a9f", "messages": []}"#, #"{"sender": "0a9F", "messages": ["hi"]}"#,
        #"{"sender": "0a9f", "messages": ["hi"], "extra": 1}"#,
        #"{"sender": "0a9f", "sender": "0a9f", "messages": [1]}"#,
        #"{"sender": "0a9f", "sender": "0a9f", "messages": ["a"]}"#, #"{"send\u0065r": "0a9f", "messages": ["a"]}"#,
        #"{"sender": "0a9\u0066", "messages": ["a"]}"#, #"{"messages": ["a"]}"#, #"{"": 1}"#, "{}", "[]", "null", "3",
        #"{"name": "Ann", "age": 16, "traits": ["a"], "id": "00ff"}"#,
        #"{"name": "Ann", "age": 15, "traits": ["a"], "id": "00ff"}"#,
        #"{"name": "Ann", "age": 100.0, "traits": ["a", "b"], "id": "00ff", "username": null}"#,
        #"{"name": "Ann", "age": 100.5, "traits": ["a"], "id": "00ff"}"#,
        #"{"name": "Ann", "age": 1e2, "traits": ["a"], "id": "00ff"}"#,
        #"{"name": "Ann", "age": 30, "traits": [""], "id": "00ff"}"#,
        #"{"name": "Ann", "age": 30, "traits": ["a", "b", "c"], "id": "00ff"}"#,
        #"{"name": "Ann", "age": 30, "traits": ["a"], "id": "00fg"}"#,
        #"{"id": "00ff", "traits": ["a"], "age": 30, "name": "A", "username": ""}"#,
        #"{"a": 1, "c": 2}"#, #"{"b": 1, "c": 2}"#, #"{"c": 2.0, "d": "x"}"#, #"{"c": "2"}"#, #"{"x": 1.5}"#,
        #"{"x": 1.50001}"#, #"{"x": 99999999999999999998}"#, #"{"x": 99999999999999999999}"#, #"{"x": "s"}"#,
    ]

    @Test func quickObjectsAgreeWithTheWalk() throws {
        for text in Self.schemas {
            let schema = try JSONSchema(text: text)
            #expect(schema.evaluator.program.nodes[0].quickObject >= 0, "\(text) should compile to a quick object")
            let walked = try JSONSchema(text: String(text.dropLast()) + #", "minProperties": 0}"#)
            #expect(walked.evaluator.program.nodes[0].quickObject < 0)
            for instance in Self.instances {
                try withDocument(instance) { document in
                    let quick = schema.isValid(document)
                    let distinct = schema.hasDistinctKeys(0)
                    #expect(quick == walked.isValid(document), "\(text) on \(instance)")
                    #expect(distinct == walked.hasDistinctKeys(0), "\(text) on \(instance)")
                    #expect(quick == schema.validate(document).isEmpty, "\(text) on \(instance)")
                }
            }
        }
    }

    /// `SchemaEvaluator.typeBits` is the type bit of each kind.
    @Test func typeBitsNameEachKindsType() {
        let expected: [(JSONKind, SchemaTypeSet)] = [
            (.null, .null), (.false, .boolean), (.true, .boolean), (.number, .number), (.string, .string),
            (.array, .array), (.object, .object),
        ]
        for (kind, type) in expected {
            #expect(UInt8(truncatingIfNeeded: SchemaEvaluator.typeBits >> (UInt64(kind.rawValue) * 8)) == type.rawValue)
        }
    }

    /// Items of a quick object: each part of a chat.
    @Test func itemsOfQuickObjects() throws {
        let schema = try JSONSchema(text: #"{"items": "# + Self.schemas[0] + "}")
        let program = schema.evaluator.program
        #expect((0..<schema.nodeCount).contains { program.nodes[$0].quickObject >= 0 })
        let good = #"{"sender": "0a9f", "messages": ["hi"]}"#
        try withDocument("[\(good), \(good)]") { #expect(schema.isValid($0)) }
        try withDocument(#"[\#(good), {"sender": "0a9f"}]"#) { #expect(!schema.isValid($0)) }
    }

    @Test func otherObjectsKeepTheWalk() throws {
        for text in [
            #"{"properties": {"a": {"properties": {"b": true}}}}"#, #"{"properties": {"a": {"maxLength": 3}}}"#,
            #"{"properties": {"a": true}, "minProperties": 1}"#, ##"{"properties": {"a": {"$ref": "#"}}}"##,
        ] {
            #expect(try JSONSchema(text: text).evaluator.program.nodes[0].quickObject < 0, "\(text)")
        }
    }

    /// A deep instance under a recursive schema whose innermost objects are quick: the record is
    /// still found too deep at the same place as by the walk.
    @Test func deepRecordsAreFoundTooDeepAsBefore() throws {
        let leaf = #"{"type": "object", "properties": {"v": {"type": "integer"}}}"#
        let quick = try JSONSchema(
            text: ##"{"$defs": {"leaf": "## + leaf
                + ##"}, "type": "array", "items": {"anyOf": [{"$ref": "#"}, {"$ref": "#/$defs/leaf"}]}}"##)
        for depth in [1, 5, 6, 7, 8, 9, 15, 16, 17] {
            let text = String(repeating: "[", count: depth) + #"{"v": 1}"# + String(repeating: "]", count: depth)
            try withDocument(text) { #expect(quick.isValid($0)) }
            let bad = String(repeating: "[", count: depth) + #"{"v": "x"}"# + String(repeating: "]", count: depth)
            try withDocument(bad) { #expect(!quick.isValid($0)) }
        }
    }
}
