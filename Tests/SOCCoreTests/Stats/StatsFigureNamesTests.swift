import Testing

@testable import SOCCore

/// Which `--require` names can exist (issue 13).
@Suite struct StatsFigureNamesTests {
    static func problem(_ name: String) -> String? {
        StatsFigureNames.problem(name.split(separator: ".").map(String.init))
    }

    @Test(arguments: [
        "records", "turns.p50", "tags.end.chats_share", "speakers.persona1_share", "spb.duplicate_ids",
        "models.values.0.share", "models.values.12.count", "personas.traits.values.3.error", "models.exact",
        "turns.histogram.bins.4.2", "turns.state.m2", "other.root_types.object", "other.types.chat-id.string",
        "personas.id_sketch.ids_seen", "delay_minutes.max",
    ])
    func namesSomeInputCanHave(name: String) {
        #expect(Self.problem(name) == nil, "\(name)")
    }

    @Test(arguments: [
        ("turn.p50", "has no key 'turn'"), ("turns.p55", "'turns' has no key 'p55'"),
        ("turns.p50.x", "is a single value"), ("turns", "a group of figures"),
        ("size_category", "is text"), ("models.values.0.value", "is text"),
        ("models.values.first.count", "not an index"),
        ("turns.histogram.bins.0.3", "not an index below 3"), ("other.root_types.text", "not 'text'"),
        ("tags.smile.occurrences", "'tags' has no key 'smile'"), ("inputs.0", "is text"),
    ])
    func namesNoInputCanHave(name: String, reason: String) {
        let problem = Self.problem(name)
        #expect(problem?.contains(reason) == true, "\(name): \(problem ?? "accepted")")
    }

    /// Every listed pattern, with its placeholders filled in, is accepted; and the list follows
    /// the writer (a key of the JSON output is in it).
    @Test func everyListedPatternIsAccepted() {
        let patterns = StatsFigureNames.patterns
        #expect(patterns.contains("turns.p50"))
        #expect(patterns.contains("models.values.<i>.share"))
        #expect(patterns.contains("other.types.<key>.<type>"))
        #expect(!patterns.contains("size_category"))
        for pattern in patterns {
            let name = pattern.replacingAll("<i>", "0").replacingAll("<0..2>", "2").replacingAll("<key>", "id")
                .replacingAll("<type>", "number")
            #expect(Self.problem(name) == nil, "\(pattern)")
        }
        let json = StatsJSONWriter.json(StatsDocument())
        if case .object(let members) = json {
            for (key, value) in members where value.doubleValue != nil {
                #expect(patterns.contains(key), "\(key)")
            }
        }
    }

    @Test func theCommandLineParserChecksNames() throws {
        #expect(throws: StatsFormatError.self) { try StatsRequirement(checking: "turn.p50>=8") }
        #expect(try StatsRequirement(checking: "turns.p50>=8").path == ["turns", "p50"])
        // The plain parser still takes any name (merge's gates on other documents, unit tests).
        #expect(try StatsRequirement(parsing: "turn.p50>=8").path == ["turn", "p50"])
    }
}
