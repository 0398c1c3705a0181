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

extension JSONValueTests {
    /// The former writer (indentation by `repeatElement`, numbers by their String's UTF8 view).
    static func referencePretty(_ value: JSONValue, level: Int = 0) -> String {
        let pad = { (level: Int) in "\n" + String(repeating: " ", count: 2 * level) }
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.text
        case .string: return value.serialized()
        case .array(let items):
            guard !items.isEmpty else { return "[]" }
            return "[" + items.map { pad(level + 1) + referencePretty($0, level: level + 1) }.joined(separator: ",")
                + pad(level) + "]"
        case .object(let members):
            guard !members.isEmpty else { return "{}" }
            return "{"
                + members.map {
                    pad(level + 1) + JSONValue.string($0.0).serialized() + ": "
                        + referencePretty($0.1, level: level + 1)
                }
                .joined(separator: ",") + pad(level) + "}"
        }
    }

    /// Indentation copied from a 64-space literal, deeper than 64 spaces too, and numbers
    /// written from their text, as the former writer wrote them.
    @Test func prettyPrintedEqualsTheFormerWriter() {
        var value: JSONValue = .array([
            .number(JSONNumber(-12)), .number(JSONNumber(2.5)), "x\"y", .null, true, .array([]),
        ])
        for depth in 0..<45 {
            value =
                depth % 2 == 0
                ? .object([("k\(depth)", value), ("n", .number(JSONNumber(depth))), ("e", .object([]))])
                : .array([value, false])
            #expect(value.prettyPrinted() == Self.referencePretty(value), "depth \(depth)")
        }
    }
}
