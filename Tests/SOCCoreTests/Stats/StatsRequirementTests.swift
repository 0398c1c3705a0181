import Testing

@testable import SOCCore

@Suite struct StatsRequirementTests {
    let json: JSONValue = .object([
        ("turns", .object([("p50", 8), ("max", 30)])),
        ("tags", .object([("end", .object([("chats_share", .number(JSONNumber(0.25)))]))])),
        ("models", .object([("values", .array([.object([("value", "m"), ("count", 3)])]))])),
        ("empty", .object([("share", .null)])),
    ])

    @Test func parsesOperators() throws {
        let r = try StatsRequirement(parsing: "turns.p50>=8")
        #expect(r.path == ["turns", "p50"])
        #expect(r.comparison == .greaterOrEqual)
        #expect(r.threshold == 8)
        #expect(try StatsRequirement(parsing: " tags.end.chats_share < 0.5 ").comparison == .less)
        #expect(try StatsRequirement(parsing: "turns.max!=3").comparison == .notEqual)
        #expect(
            try StatsRequirement(parsing: "other.types.chat-id.string>=1").path == [
                "other", "types", "chat-id", "string",
            ])
    }

    @Test func rejectsMalformedExpressions() {
        for text in ["turns.p50", ">=3", "turns.p50>=x", "turns..p50>=1", "turns p50>=1"] {
            #expect(throws: StatsFormatError.self) { try StatsRequirement(parsing: text) }
        }
    }

    @Test func evaluatesAgainstTheJSON() throws {
        #expect(try StatsRequirement(parsing: "turns.p50>=8").failure(in: json) == nil)
        #expect(try StatsRequirement(parsing: "turns.max<30").failure(in: json) == "turns.max<30: actual 30")
        #expect(
            try StatsRequirement(parsing: "tags.end.chats_share>=0.5").failure(in: json)
                == "tags.end.chats_share>=0.5: actual 0.25")
        #expect(try StatsRequirement(parsing: "models.values.0.count==3").failure(in: json) == nil)
        #expect(try StatsRequirement(parsing: "empty.share>0").failure(in: json)?.contains("not available") == true)
        #expect(try StatsRequirement(parsing: "nope.x>0").failure(in: json)?.contains("not available") == true)
    }
}
