import Testing

@testable import SOCCore

/// `uniqueItems` groups items by hash, and equality never recurses.
@Suite struct SchemaEqualityTests {
    @Test func distinctItemsCostNoComparison() throws {
        // Issue 11 item 12: pairwise, 80,000 strings took 3.2 billion comparisons (51 s).
        let schema = try JSONSchema(text: ##"{"uniqueItems": true}"##)
        let items = (0..<80_000).map { "\"id-\($0)\"" }.joined(separator: ",")
        let valid = ValidateFixtures.withDocument("[" + items + "]") { schema.isValid($0!) }
        #expect(valid)
        #expect(schema.uniqueItemsComparisons < 10)
        // A repeat at the end is found, with its earlier twin, by comparing it with that twin only.
        let before = schema.uniqueItemsComparisons
        let violations = ValidateFixtures.withDocument("[" + items + ", \"id-17\"]") { schema.validate($0!) }
        #expect(violations.map(\.message) == ["items 17 and 80000 are equal"])
        #expect(schema.uniqueItemsComparisons - before < 10)
    }

    @Test func theFirstRepeatIsReported() throws {
        let schema = try JSONSchema(text: ##"{"uniqueItems": true}"##)
        let violations = ValidateFixtures.withDocument(#"[3, 1, 2, 2.0, 1, 3]"#) { schema.validate($0!) }
        #expect(violations.map(\.message) == ["items 2 and 3 are equal"])
    }

    @Test func deeplyNestedItemsCompareWithoutRecursion() throws {
        // Issue 11 item 8: 60,000-deep arrays under uniqueItems overflowed the stack.
        let depth = 60_000
        let deep = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let other = String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
        let schema = try JSONSchema(text: ##"{"uniqueItems": true}"##)
        let parser = JSONParser(maxDepth: 2_000_000)
        for (text, unique) in [("[\(deep),\(deep)]", false), ("[\(deep),\(other)]", true)] {
            let bytes = Array(text.utf8)
            let valid = try bytes.withUnsafeBytes { try schema.isValid(parser.parse($0).get()) }
            #expect(valid == unique)
        }
        let constant = try JSONSchema(text: ##"{"const": [[[[1]]]]}"##)
        let bytes = Array("[\(deep)]".utf8)
        #expect(try bytes.withUnsafeBytes { try !constant.isValid(parser.parse($0).get()) })
    }

    @Test func recursionOverADeepInstanceStopsWithADiagnosis() throws {
        // A recursive schema over 100,000 nested arrays: evaluation follows the instance, and stops
        // before the stack ends with a too_deep violation instead of crashing.
        let schema = try JSONSchema(text: ##"{"items": {"$ref": "#"}}"##)
        let depth = 100_000
        let bytes = Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
        let parser = JSONParser(maxDepth: 2_000_000)
        let found = try bytes.withUnsafeBytes { try schema.validate(parser.parse($0).get()) }
        #expect(found.map(\.keyword) == [SchemaViolation.tooDeep])
        // Under `not`, running out of stack must not turn into a pass.
        let negated = try JSONSchema(
            text: ##"{"$defs": {"r": {"items": {"$ref": "#/$defs/r"}}}, "not": {"$ref": "#/$defs/r"}}"##)
        #expect(try bytes.withUnsafeBytes { try !negated.isValid(parser.parse($0).get()) })
        // Shallow values of the same schema still validate.
        #expect(ValidateFixtures.withDocument("[[[]], []]") { schema.isValid($0!) })
    }
}
