import Testing

@testable import SOCCore

/// A leaf checked in quick form (`SchemaQuickCheck`, yes/no passes) against the same leaf's
/// keywords one by one (the reporting pass), on instances of every kind.
@Suite struct SchemaQuickCheckTests {
    static let schemas = [
        #"{"type": "string", "minLength": 2}"#, #"{"type": ["string", "null"], "minLength": 1}"#,
        #"{"type": "string", "pattern": "^[0-9a-f]{4}$"}"#, #"{"pattern": "^[0-9a-f]{4}$", "minLength": 5}"#,
        #"{"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "string"}}"#,
        #"{"items": {"type": "integer"}, "minItems": 2}"#, #"{"minLength": 3}"#, #"{"maxItems": 0}"#,
        #"{"type": "integer", "minLength": 1, "maxItems": 1}"#, #"{"type": "integer", "minimum": 1, "maximum": 1}"#,
        #"{"exclusiveMinimum": -1, "exclusiveMaximum": 1.0}"#, #"{"minimum": 0.5, "maximum": 99999999999999999999}"#,
        // `itemsMatch`: arrays of one to four scalars take the unrolled test.
        #"{"items": {"type": "string"}}"#, #"{"items": {"type": ["string", "null"]}}"#,
        #"{"items": {"type": "number"}}"#, #"{"items": {"type": "array"}}"#,
    ]
    static let instances = [
        #""""#, #""a""#, #""ab""#, #""\u00e9\u00e9""#, #""é""#, #""0a9f""#, #""0A9F""#, #""0a9\u0066""#,
        #""0a9f0""#, "null", "1", "1.0", "-0", "[]", #"["a"]"#, #"["a", "b", "c"]"#, "[1, 2]", "[1, 2.5]",
        "[1, 2.0]", "{}", #"{"a": 1}"#, "true", "0", "-1", "2", "0.5", "1e0", "99999999999999999999",
        "100000000000000000000", #"["a", "b", "c", "d"]"#, #"["a", "b", "c", "d", "e"]"#, #"["a", "b", "c", 1]"#,
        #"[1, "a"]"#, #"["a", null]"#, #"[null, "a", "b"]"#, #"[["a"]]"#, #"["a", []]"#, #"[{}, "a"]"#,
        #"["a", {"b": 1}]"#, #"[[], []]"#, "[1.5, 2, 3, 4]", "[true, 1]", #"[["a", "b"], "c", "d"]"#,
    ]

    @Test func quickLeavesAgreeWithTheirKeywords() throws {
        for text in Self.schemas {
            let schema = try JSONSchema(text: text)
            let program = schema.evaluator.program
            #expect(program.nodes[0].quick >= 0, "\(text) should compile to a quick check")
            for instance in Self.instances {
                try withDocument(instance) { document in
                    let quick = schema.evaluator.run(document, 0, report: false)
                    let keywords = schema.evaluator.run(document, 0, report: true)
                    #expect(quick == keywords, "\(text) on \(instance)")
                }
            }
        }
    }

    @Test func otherLeavesKeepTheirKeywords() throws {
        for text in [#"{"pattern": "^(ab)+$"}"#, #"{"maxLength": 3}"#, #"{"items": {"minLength": 1}}"#] {
            #expect(try JSONSchema(text: text).evaluator.program.nodes[0].quick < 0, "\(text)")
        }
    }

    /// `true` and `false` have no keywords: they must never be taken for an empty quick check.
    @Test func booleanSubschemasKeepTheirVerdict() throws {
        let items = try JSONSchema(text: #"{"items": false}"#)
        try withDocument("[1]") { #expect(!items.isValid($0)) }
        try withDocument("[]") { #expect(items.isValid($0)) }
        let shape = try JSONSchema(
            text: #"{"properties": {"a": false, "b": true}, "required": ["b"], "additionalProperties": false}"#)
        try withDocument(#"{"a": 1, "b": 2}"#) { #expect(!shape.isValid($0)) }
        try withDocument(#"{"b": 2}"#) { #expect(shape.isValid($0)) }
    }
}
