import Testing

@testable import SOCCore

/// `JSONValue` equality and member lookup read a repeated key as every tool reads records: once,
/// with its last value (finding J1 of the `json` fuzz target: `{"":0,"":9}` was not equal to itself).
@Suite struct JSONValueTests {
    @Test func aRepeatedKeyCountsOnceWithItsLastValue() {
        let repeated = JSONValue.object([("", .number(JSONNumber(0))), ("", .number(JSONNumber(9)))])
        #expect(repeated == repeated)
        #expect(repeated == .object([("", .number(JSONNumber(9)))]))
        #expect(repeated != .object([("", .number(JSONNumber(0)))]))
        #expect(repeated[""] == .number(JSONNumber(9)))
    }

    @Test func objectsCompareByMembersNotOrder() {
        let ab = JSONValue.object([("a", .bool(true)), ("b", .null)])
        let ba = JSONValue.object([("b", .null), ("a", .bool(true))])
        #expect(ab == ba)
        #expect(ab != .object([("a", .bool(true))]))
        #expect(ab != .object([("a", .bool(true)), ("c", .null)]))
    }
}
