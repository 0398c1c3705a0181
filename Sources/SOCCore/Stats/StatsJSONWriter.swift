/// Writes a `StatsDocument` as JSON with stable keys (see docs/stats.md). Counts are plain
/// integers; shares are derived from them; each numeric figure carries the state (`state`,
/// `histogram`) that `StatsJSONReader` needs to merge shards exactly.
public enum StatsJSONWriter {
    public static func json(_ stats: StatsDocument) -> JSONValue {
        let c = stats.chats
        let messages = c.totalMessages
        var members: [(String, JSONValue)] = [
            ("schema_version", int(StatsDocument.schemaVersion)),
            ("tool", "soc-stats"),
            ("version", .string(SOCTools.version)),
            ("inputs", .array(stats.inputs.map { .string($0) })),
            ("records", int(stats.records)),
            ("size_category", .string(StatsDocument.sizeCategory(stats.records))),
            ("chats", int(c.records)),
            ("messages", int(messages)),
            ("blank_messages", int(c.blankMessages)),
            ("turns", numeric(c.turns)),
            ("messages_per_turn", numeric(c.messagesPerTurn)),
            ("messages_per_chat", numeric(c.messagesPerChat)),
            ("words_per_message", numeric(c.wordsPerMessage)),
            ("chars_per_message", numeric(c.charactersPerMessage)),
            ("words_per_chat", numeric(c.wordsPerChat)),
            ("chars_per_chat", numeric(c.charactersPerChat)),
        ]
        members.append(
            (
                "speakers",
                .object(
                    [
                        ("persona1_messages", int(c.persona1Messages)),
                        ("persona2_messages", int(c.persona2Messages)),
                        ("other_messages", int(c.otherSenderMessages)),
                        ("persona1_share", share(c.persona1Messages, messages)),
                        ("persona2_share", share(c.persona2Messages, messages)),
                        ("other_share", share(c.otherSenderMessages, messages)),
                        ("persona1_first_chats", int(c.persona1FirstChats)),
                        ("persona2_first_chats", int(c.persona2FirstChats)),
                        ("persona1_first_share", share(c.persona1FirstChats, c.records)),
                        ("single_speaker_chats", int(c.singleSpeakerChats)),
                        ("single_speaker_share", share(c.singleSpeakerChats, c.records)),
                        ("longest_run", numeric(c.longestSpeakerRun)),
                    ]
                        // Only where there are OpenAI / ShareGPT chats, so SOC-only figures keep their bytes.
                        + (c.flatChats > 0 ? [("flat_chats", int(c.flatChats)), ("roles", categories(c.roles))] : []))
            ))
        var tags: [(String, JSONValue)] = []
        for tag in ChatTag.allCases {
            let t = c.tags[tag.rawValue]
            var fields: [(String, JSONValue)] = [
                ("occurrences", int(t.occurrences)),
                ("messages", int(t.messages)),
                ("chats", int(t.chats)),
                ("messages_share", share(t.messages, messages)),
                ("chats_share", share(t.chats, c.records)),
            ]
            if tag == .end {
                fields += [
                    ("in_last_part_chats", int(c.endInLastPartChats)),
                    ("in_last_part_share", share(c.endInLastPartChats, c.records)),
                    ("at_end_chats", int(c.endAtEndChats)),
                    ("at_end_share", share(c.endAtEndChats, c.records)),
                ]
            }
            tags.append((tag.name, .object(fields)))
        }
        members.append(("tags", .object(tags)))
        members.append(("delay_minutes", numeric(c.delayMinutes)))
        members.append(
            (
                "experience",
                .object([
                    ("relationship_chars", numeric(c.relationshipCharacters)),
                    ("situation_chars", numeric(c.situationCharacters)),
                    ("topic_chars", numeric(c.topicCharacters)),
                ])
            ))
        members.append(("models", categories(c.models)))
        members.append(("personas", persona(c.personas)))
        members.append(("spb", persona(stats.personas)))
        members.append(("other", generic(stats.other)))
        members.append(("example", stats.example.map { .string($0) } ?? .null))
        return .object(members)
    }

    static func persona(_ p: PersonaStats) -> JSONValue {
        .object([
            ("records", int(p.records)),
            ("unique", int(p.ids.distinct)),
            ("unique_exact", .bool(p.ids.isExact)),
            ("duplicate_ids", int(p.duplicateIDs)),
            ("age", numeric(p.age)),
            ("age_missing", int(p.ageMissing)),
            ("traits_per_persona", numeric(p.traitsPerPersona)),
            ("traits", categories(p.traits)),
            ("background_chars", numeric(p.backgroundCharacters)),
            ("chatting_style_chars", numeric(p.chattingStyleCharacters)),
            ("username_null", int(p.usernameNull)),
            ("username_null_share", share(p.usernameNull, p.records)),
            ("models", categories(p.models)),
            (
                "id_sketch",
                .object([
                    ("ids_seen", int(p.ids.seen)),
                    ("hll_p12", .string(hex(p.ids.registers))),
                    ("exact_set", hashSet(p.ids.exactHashes)),
                ])
            ),
        ])
    }

    static func generic(_ g: GenericStats) -> JSONValue {
        var types: [(String, JSONValue)] = []
        for name in g.types.keys.sorted() {
            let counts = g.types[name]!
            types.append(
                (
                    name,
                    .object(
                        GenericStats.typeNames.indices.filter { counts[$0] > 0 }.map {
                            (GenericStats.typeNames[$0], int(counts[$0]))
                        })
                ))
        }
        return .object([
            ("records", int(g.records)),
            (
                "root_types",
                .object(
                    GenericStats.typeNames.indices.filter { g.rootTypes[$0] > 0 }.map {
                        (GenericStats.typeNames[$0], int(g.rootTypes[$0]))
                    })
            ),
            ("keys", categories(g.keys)),
            ("types", .object(types)),
        ])
    }

    /// `{n, min, max, sum, mean, std, p50, p90, p99, histogram, state}`.
    public static func numeric(_ a: NumericAccumulator) -> JSONValue {
        let empty = a.count == 0
        return .object([
            ("n", int(a.count)),
            ("min", empty ? .null : number(a.minimum)),
            ("max", empty ? .null : number(a.maximum)),
            ("sum", a.integral ? int(a.integerSum) : number(a.sum)),
            ("mean", a.mean.map(number) ?? .null),
            ("std", a.standardDeviation.map(number) ?? .null),
            ("p50", a.quantile(0.5).map(number) ?? .null),
            ("p90", a.quantile(0.9).map(number) ?? .null),
            ("p99", a.quantile(0.99).map(number) ?? .null),
            (
                "histogram",
                .object([
                    ("scheme", .string(LogHistogram.scheme)),
                    (
                        "bins",
                        .array(a.histogram.bins.map { .array([number($0.lower), number($0.upper), int($0.count)]) })
                    ),
                ])
            ),
            (
                "state",
                .object([
                    ("integral", .bool(a.integral)),
                    ("sum_squares", a.integral ? int(a.integerSumOfSquares) : .null),
                    ("welford_mean", number(a.runningMean)),
                    ("m2", number(a.m2)),
                    ("float_sum", number(a.floatingSum)),
                ])
            ),
        ])
    }

    /// `{total, distinct, exact, capacity, distinct_exact, distinct_sketch, values: [{value, count,
    /// share, error?}]}`, most frequent first; `distinct_sketch` (null while `exact`) counts the
    /// distinct values past `capacity`.
    public static func categories(_ c: CategoryCounter) -> JSONValue {
        .object([
            ("total", int(c.total)),
            ("distinct", int(c.distinct)),
            ("exact", .bool(c.exact)),
            ("capacity", int(c.capacity)),
            ("distinct_exact", .bool(c.distinctIsExact)),
            (
                "distinct_sketch",
                c.overflowDistinct.map { d in
                    .object([("hll_p12", .string(hex(d.registers))), ("exact_set", hashSet(d.exactHashes))])
                } ?? .null
            ),
            (
                "values",
                .array(
                    c.sorted.map { entry in
                        var fields: [(String, JSONValue)] = [
                            ("value", .string(entry.value)), ("count", int(entry.count)),
                            ("share", share(entry.count, c.total)),
                        ]
                        if entry.error > 0 { fields.append(("error", int(entry.error))) }
                        return .object(fields)
                    })
            ),
        ])
    }

    /// `{encoding, count, data}` of an exact hash set (`HashSetCoding`), or null past its bound.
    static func hashSet(_ hashes: Set<UInt64>?) -> JSONValue {
        guard let hashes else { return .null }
        return .object([
            ("encoding", .string(HashSetCoding.encoding)),
            ("count", int(hashes.count)),
            ("data", .string(HashSetCoding.encode(hashes))),
        ])
    }

    static func int(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }
    static func number(_ value: Double) -> JSONValue { .number(JSONNumber(value)) }
    static func share(_ part: Int, _ whole: Int) -> JSONValue {
        whole > 0 ? number(Double(part) / Double(whole)) : .null
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
