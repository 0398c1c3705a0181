/// Why a stats JSON file cannot be merged.
public struct StatsFormatError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Reads the JSON that `StatsJSONWriter` wrote back into a `StatsDocument`, so that shard
/// outputs can be merged. Only the exact state is read (counts, sums, bins, Welford state,
/// sketches); derived figures (mean, shares, quantiles) are recomputed.
public enum StatsJSONReader {
    public static func document(_ json: JSONValue) throws(StatsFormatError) -> StatsDocument {
        guard case .object = json else { throw StatsFormatError("not a JSON object") }
        guard let version = json["schema_version"]?.doubleValue else {
            throw StatsFormatError("no schema_version: not a soc-stats JSON output")
        }
        guard version == Double(StatsDocument.schemaVersion) else {
            throw StatsFormatError(
                "schema_version \(json["schema_version"]!.serialized()) is not supported (this soc-stats reads \(StatsDocument.schemaVersion))"
            )
        }
        var stats = StatsDocument()
        stats.inputs = (json["inputs"]?.arrayValue ?? []).compactMap(\.stringValue)
        var c = ChatStats()
        c.records = try int(json, "chats")
        // Files written before blank messages were counted have none: zero.
        c.blankMessages = json["blank_messages"] == nil ? 0 : try int(json, "blank_messages")
        c.turns = try numeric(json, "turns")
        c.messagesPerTurn = try numeric(json, "messages_per_turn")
        c.messagesPerChat = try numeric(json, "messages_per_chat")
        c.wordsPerMessage = try numeric(json, "words_per_message")
        c.charactersPerMessage = try numeric(json, "chars_per_message")
        c.wordsPerChat = try numeric(json, "words_per_chat")
        c.charactersPerChat = try numeric(json, "chars_per_chat")
        let speakers = try member(json, "speakers")
        c.persona1Messages = try int(speakers, "persona1_messages")
        c.persona2Messages = try int(speakers, "persona2_messages")
        c.otherSenderMessages = try int(speakers, "other_messages")
        c.persona1FirstChats = try int(speakers, "persona1_first_chats")
        c.persona2FirstChats = try int(speakers, "persona2_first_chats")
        c.singleSpeakerChats = try int(speakers, "single_speaker_chats")
        c.longestSpeakerRun = try numeric(speakers, "longest_run")
        // Written only when there were OpenAI / ShareGPT chats.
        if speakers["flat_chats"] != nil {
            c.flatChats = try int(speakers, "flat_chats")
            c.roles = try categories(speakers, "roles")
        }
        let tags = try member(json, "tags")
        for tag in ChatTag.allCases {
            // Files written before ill-formed tags were counted have no `ill_formed`: zero.
            if tag == .illFormed, tags[tag.name] == nil { continue }
            let t = try member(tags, tag.name)
            c.tags[tag.rawValue] = ChatStats.TagCount(
                occurrences: try int(t, "occurrences"), messages: try int(t, "messages"), chats: try int(t, "chats"))
            if tag == .end {
                c.endInLastPartChats = try int(t, "in_last_part_chats")
                c.endAtEndChats = try int(t, "at_end_chats")
            }
        }
        c.delayMinutes = try numeric(json, "delay_minutes")
        let experience = try member(json, "experience")
        c.relationshipCharacters = try numeric(experience, "relationship_chars")
        c.situationCharacters = try numeric(experience, "situation_chars")
        c.topicCharacters = try numeric(experience, "topic_chars")
        c.models = try categories(json, "models")
        c.personas = try persona(try member(json, "personas"))
        stats.chats = c
        stats.personas = try persona(try member(json, "spb"))
        stats.other = try generic(try member(json, "other"))
        // Files written before the example was kept have none.
        stats.example = json["example"]?.stringValue
        return stats
    }

    static func persona(_ json: JSONValue) throws(StatsFormatError) -> PersonaStats {
        var p = PersonaStats()
        p.records = try int(json, "records")
        p.age = try numeric(json, "age")
        p.ageMissing = try int(json, "age_missing")
        p.traitsPerPersona = try numeric(json, "traits_per_persona")
        p.traits = try categories(json, "traits")
        p.backgroundCharacters = try numeric(json, "background_chars")
        p.chattingStyleCharacters = try numeric(json, "chatting_style_chars")
        p.usernameNull = try int(json, "username_null")
        p.models = try categories(json, "models")
        let sketch = try member(json, "id_sketch")
        let registers = try bytes(fromHex: try string(sketch, "hll_p12"))
        let exact = json["unique_exact"] == .bool(true)
        if let set = sketch["exact_set"], set != .null {
            p.ids = DistinctCounter(
                seen: try int(sketch, "ids_seen"), registers: registers, hashes: try hashSet(set, "id_sketch.exact_set")
            )
        } else {
            p.ids = DistinctCounter(
                seen: try int(sketch, "ids_seen"), registers: registers,
                exactDistinct: exact ? try int(json, "unique") : nil)
        }
        return p
    }

    /// An exact hash set written by `StatsJSONWriter.hashSet`; its count must match its data.
    static func hashSet(_ json: JSONValue, _ key: String) throws(StatsFormatError) -> [UInt64] {
        guard json["encoding"]?.stringValue == HashSetCoding.encoding else {
            throw StatsFormatError("\(key): encoding is not \(HashSetCoding.encoding)")
        }
        guard let hashes = HashSetCoding.decode(try string(json, "data")) else {
            throw StatsFormatError("\(key): data is not a sorted set of 64-bit hashes in that encoding")
        }
        guard hashes.count == (try int(json, "count")), hashes.count <= 1 << 20 else {
            throw StatsFormatError("\(key): count is not the number of hashes in data (at most 2^20)")
        }
        return hashes
    }

    static func generic(_ json: JSONValue) throws(StatsFormatError) -> GenericStats {
        var g = GenericStats()
        g.records = try int(json, "records")
        let roots = try member(json, "root_types")
        for (k, name) in GenericStats.typeNames.enumerated() {
            g.rootTypes[k] =
                try roots[name].map { (v) throws(StatsFormatError) in try count(v, "root_types.\(name)") } ?? 0
        }
        g.keys = try categories(json, "keys")
        for (key, value) in try member(json, "types").objectValue ?? [] {
            var counts: [Int] = []
            for name in GenericStats.typeNames {
                counts.append(
                    try value[name].map { (v) throws(StatsFormatError) in try count(v, "types.\(name)") } ?? 0)
            }
            g.types[key] = counts
        }
        return g
    }

    static func numeric(_ json: JSONValue, _ key: String) throws(StatsFormatError) -> NumericAccumulator {
        let figure = try member(json, key)
        let count = try int(figure, "n")
        let histogram = try member(figure, "histogram")
        guard histogram["scheme"]?.stringValue == LogHistogram.scheme else {
            throw StatsFormatError("\(key): histogram scheme is not \(LogHistogram.scheme)")
        }
        var bins: [LogHistogram.Bin] = []
        for bin in histogram["bins"]?.arrayValue ?? [] {
            guard let items = bin.arrayValue, items.count == 3, let lower = items[0].doubleValue,
                let upper = items[1].doubleValue,
                lower.isFinite, upper.isFinite, lower <= upper, lower >= 0 || upper <= 0
            else {
                throw StatsFormatError(
                    "\(key): a histogram bin is not [lower, upper, count] with finite bounds on one side of 0")
            }
            bins.append(
                LogHistogram.Bin(lower: lower, upper: upper, count: try Self.count(items[2], "\(key) histogram bin")))
        }
        let state = try member(figure, "state")
        let integral = state["integral"] == .bool(true)
        return NumericAccumulator(
            count: count,
            minimum: figure["min"]?.doubleValue ?? .infinity,
            maximum: figure["max"]?.doubleValue ?? -.infinity,
            integral: integral,
            integerSum: integral ? try exactInt(figure, "sum") : 0,
            integerSumOfSquares: integral ? try exactInt(state, "sum_squares") : 0,
            runningMean: state["welford_mean"]?.doubleValue ?? 0,
            m2: state["m2"]?.doubleValue ?? 0,
            floatingSum: state["float_sum"]?.doubleValue ?? 0,
            histogram: LogHistogram(bins: bins)
        )
    }

    static func categories(_ json: JSONValue, _ key: String) throws(StatsFormatError) -> CategoryCounter {
        let c = try member(json, key)
        var entries: [String: CategoryCounter.Entry] = [:]
        for value in c["values"]?.arrayValue ?? [] {
            guard let name = value["value"]?.stringValue, let n = value["count"] else {
                throw StatsFormatError("\(key): a value is not {value, count}")
            }
            entries[name] = CategoryCounter.Entry(
                count: try count(n, "\(key).count"),
                error: try value["error"].map { (e) throws(StatsFormatError) in try count(e, "\(key).error") } ?? 0)
        }
        let capacity = try int(c, "capacity")
        guard capacity >= 1, capacity <= 1 << 20 else {
            throw StatsFormatError("\(key): capacity \(capacity) is not between 1 and \(1 << 20)")
        }
        var overflow: DistinctCounter?
        // A category's counter only counts distinct values (`seen` is not written); any
        // `seen` > 0 marks it as holding values, which is all that merging asks.
        if let sketch = c["distinct_sketch"], sketch != .null {
            let registers = try bytes(fromHex: try string(sketch, "hll_p12"))
            if let set = sketch["exact_set"], set != .null {
                overflow = DistinctCounter(
                    seen: 1, registers: registers, hashes: try hashSet(set, "\(key).distinct_sketch.exact_set"))
            } else {
                overflow = DistinctCounter(seen: 1, registers: registers, exactDistinct: nil)
            }
        }
        return CategoryCounter(
            capacity: capacity, total: try int(c, "total"), exact: c["exact"] == .bool(true), entries: entries,
            overflowDistinct: overflow)
    }

    static func member(_ json: JSONValue, _ key: String) throws(StatsFormatError) -> JSONValue {
        guard let value = json[key] else { throw StatsFormatError("missing key \"\(key)\"") }
        return value
    }

    /// A count: a whole number from 0 to 2^48 (2.8e14, far past any dataset), so that the sums
    /// of 2,048 histogram bins or of 32,768 merged files cannot overflow.
    static func int(_ json: JSONValue, _ key: String) throws(StatsFormatError) -> Int {
        try count(try member(json, key), key)
    }

    /// `value` as a count (see `int`); a negative or fractional count is refused, never trusted.
    static func count(_ value: JSONValue, _ key: String) throws(StatsFormatError) -> Int {
        guard case .number(let n) = value, let count = Int(n.text) else {
            throw StatsFormatError("\"\(key)\" is not a whole number")
        }
        guard count >= 0, count <= 1 << 48 else {
            throw StatsFormatError("\"\(key)\" is \(count): a count must be between 0 and 2^48")
        }
        return count
    }

    /// An integer read from its JSON text, so that large counts and sums are not rounded.
    static func exactInt(_ json: JSONValue, _ key: String) throws(StatsFormatError) -> Int {
        guard case .number(let n) = try member(json, key), let value = Int(n.text) else {
            throw StatsFormatError("\"\(key)\" is not an integer")
        }
        return value
    }

    static func string(_ json: JSONValue, _ key: String) throws(StatsFormatError) -> String {
        guard let value = try member(json, key).stringValue else {
            throw StatsFormatError("\"\(key)\" is not a string")
        }
        return value
    }

    static func bytes(fromHex text: String) throws(StatsFormatError) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { throw StatsFormatError("a sketch is not hex") }
        func digit(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(utf8.count / 2)
        var k = 0
        while k < utf8.count {
            guard let high = digit(utf8[k]), let low = digit(utf8[k + 1]) else {
                throw StatsFormatError("a sketch is not hex")
            }
            out.append(high << 4 | low)
            k += 2
        }
        return out
    }
}
