import Testing

@testable import SOCCore

/// `JSONParser` against `ReferenceJSONParser` (the former byte-at-a-time parser) on generated
/// inputs: the same tape for every line one accepts, the same error (kind, offset, message) for
/// every line one rejects. The generators are seeded, so a failure names an input that repeats.
@Suite struct JSONParserDifferentialTests {
    /// What a parser made of a line, comparable across the two parsers.
    enum Outcome: Equatable, CustomStringConvertible {
        case tape([[Int32]])
        case error(JSONParseError.Kind, Int, String)

        var description: String {
            switch self {
            case .tape(let nodes): return "tape of \(nodes.count) nodes \(nodes.prefix(8))"
            case .error(let kind, let offset, let message): return "\(kind) at \(offset): \(message)"
            }
        }
    }

    static func outcome(_ result: Result<JSONDocument, JSONParseError>) -> Outcome {
        switch result {
        case .success(let document):
            return .tape(
                document.nodes.map {
                    [Int32($0.kind.rawValue), Int32($0.flags), $0.start, $0.end, $0.next, $0.count]
                })
        case .failure(let error):
            return .error(error.kind, error.offset, error.message)
        }
    }

    /// Both parsers' outcomes for `bytes` (parsers reused, as the tools reuse theirs).
    static func outcomes(_ bytes: [UInt8], _ parser: JSONParser, _ reference: ReferenceJSONParser) -> (
        Outcome, Outcome
    ) {
        bytes.withUnsafeBytes { raw in (outcome(parser.parse(raw)), outcome(reference.parse(raw))) }
    }

    /// Checks one input; returns false (after recording the issue) when the parsers differ.
    @discardableResult
    static func check(_ bytes: [UInt8], _ parser: JSONParser, _ reference: ReferenceJSONParser) -> Bool {
        let (new, old) = outcomes(bytes, parser, reference)
        guard new == old else {
            let hex = bytes.map { String($0, radix: 16) }.joined(separator: " ")
            Issue.record("parsers differ on [\(hex)]: new \(new), reference \(old)")
            return false
        }
        return true
    }

    /// Pieces a string body is built from: the bytes each fast path decides on, and plain text.
    static let pieces: [[UInt8]] = [
        Array("a".utf8), Array("abcdefg".utf8), Array("0123456789abcdef".utf8), [0x22], [0x5C], Array(#"\""#.utf8),
        Array(#"\\"#.utf8), Array(#"\n"#.utf8), Array(#"\/"#.utf8), Array(#"\u00e9"#.utf8),
        Array(#"\uD83D\uDE00"#.utf8),
        Array(#"\uABCG"#.utf8), Array(#"\u12"#.utf8), Array(#"\x"#.utf8), Array("é".utf8), Array("加油".utf8),
        Array("😀".utf8), Array("ờ".utf8), [0x00], [0x1F], [0x09], [0x0A], [0x7F], [0x20], [0xC3], [0xC3, 0x28],
        [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xF4, 0x90, 0x80, 0x80],
        [0xF4, 0x8F, 0xBF, 0xBF], [0xF0, 0x9F, 0x98], [0x80], [0xBF], [0xF5], [0xFF], [0xE2, 0x82],
    ]

    @Test func randomStringBodiesGiveTheSameOutcome() {
        var random = SplitMix64(seed: 0x50C_7001)
        let parser = JSONParser()
        let reference = ReferenceJSONParser()
        var failures = 0
        for _ in 0..<40_000 where failures < 5 {
            var body: [UInt8] = []
            // Mostly plain text with now and then a piece that needs a decision, so the pieces
            // land at every offset of a word.
            for _ in 0..<Int(random.next() % 12) {
                body += Array(repeating: UInt8(ascii: "x"), count: Int(random.next() % 20))
                body += Self.pieces[Int(random.next() % UInt64(Self.pieces.count))]
            }
            let shapes: [[UInt8]] = [
                [0x22] + body + [0x22], [0x22] + body, Array(#"{"k": ""#.utf8) + body + Array(#"", "z": 1}"#.utf8),
                Array(#"[""#.utf8) + body + Array(#"",""#.utf8) + body + Array(#""]"#.utf8),
                Array(#"{""#.utf8) + body + Array(#"": null}"#.utf8),
            ]
            for line in shapes where !Self.check(line, parser, reference) { failures += 1 }
        }
    }

    @Test func mutatedRecordsGiveTheSameOutcome() {
        var random = SplitMix64(seed: 0x50C_7002)
        let parser = JSONParser()
        let reference = ReferenceJSONParser()
        let record = Array(Self.record.utf8)
        let alphabet: [UInt8] = [
            0x22, 0x5C, 0x00, 0x0A, 0x20, 0x80, 0xC3, 0xE2, 0xED, 0xF0, 0xFF, 0x75, 0x2C, 0x3A, 0x7B, 0x7D, 0x5B, 0x5D,
            0x31, 0x2D,
        ]
        var failures = 0
        for _ in 0..<20_000 where failures < 5 {
            var line = record
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let at = Int(random.next() % UInt64(line.count))
                let byte =
                    random.next() % 2 == 0
                    ? alphabet[Int(random.next() % UInt64(alphabet.count))] : UInt8(truncatingIfNeeded: random.next())
                switch random.next() % 3 {
                case 0: line[at] = byte
                case 1: line.insert(byte, at: at)
                default: line.remove(at: at)
                }
                if line.isEmpty { line = record }
            }
            if !Self.check(line, parser, reference) { failures += 1 }
        }
    }

    @Test func everyPrefixOfARecordGivesTheSameOutcome() {
        let parser = JSONParser()
        let reference = ReferenceJSONParser()
        let record = Array(Self.record.utf8)
        for end in 0...record.count where !Self.check(Array(record[..<end]), parser, reference) { break }
    }

    @Test func randomBytesGiveTheSameOutcome() {
        var random = SplitMix64(seed: 0x50C_7003)
        let parser = JSONParser()
        let reference = ReferenceJSONParser()
        var failures = 0
        for _ in 0..<20_000 where failures < 5 {
            let count = Int(random.next() % 48)
            var line: [UInt8] = [0x22]
            for _ in 0..<count {
                let r = random.next()
                // Half the bytes printable ASCII, the rest anything.
                line.append(r & 1 == 0 ? UInt8(0x20 + (r >> 8) % 0x5F) : UInt8(truncatingIfNeeded: r >> 8))
            }
            if random.next() % 2 == 0 { line.append(0x22) }
            if !Self.check(line, parser, reference) { failures += 1 }
        }
    }

    /// A chat record the way the bench file has them: non-ASCII text, `\u` escapes as Python's
    /// `json.dumps` writes them, numbers, nulls and nesting.
    static let record = #"""
        {"chat_id": "dd3688ff20cd08a27436da6aadfb3daa_1754636910", "experience": {"persona1": {"name": "Mei Huang", "age": 49, "traits": ["sharp", "empathetic"], "background": "Mei is a barista living in Chicago. Of thing pizza 🍜", "id": "dd3688ff"}, "persona2": {"name": "\u0395\u03bb\u03ad\u03bd\u03b7", "username": null, "age": 18.5e0, "background": "Jo\u00ebl \ud83d\udc4d\ud83c\udffd g\u00fczel", "ok": true}, "situation": "Sun 加油 boat, ¯\\_(ツ)_/¯ \"quoted\"\n", "topic": "cảm ơn ᕕ( ᐛ )ᕗ"}, "chat_parts": [{"sender": "eac9", "messages": ["Weird 🌙 🤔 are you.", "", "x"]}, {"sender": "dd36", "messages": []}], "score": -0.25, "flags": [false, {}]}
        """#
}

/// A small seeded generator (SplitMix64), so generated inputs repeat from run to run.
private struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
