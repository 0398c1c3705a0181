import Testing

@testable import SOCCore

/// The shingler's scalar and escape caches keep two keys a set (slots `2k` and `2k + 1`): a
/// second key of a set does not evict the first, a third evicts the older of the two.
@Suite struct ScalarCaseCacheTests {
    /// The four hex digits of `value` as the tokenizer keys an escape (little-endian bytes).
    static func digits(_ value: UInt32) -> UInt32 {
        let hex = Array(String(value, radix: 16)).map { UInt8(ascii: $0.unicodeScalars.first!) }
        let padded = [UInt8](repeating: UInt8(ascii: "0"), count: 4 - hex.count) + hex
        return padded.enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
    }

    @Test func twoEscapesOfASetAreKeptAndAThirdEvictsTheOlder() {
        let first = Self.digits(0xE9)
        var others: [UInt32] = []
        var value: UInt32 = 0x100
        while others.count < 2 {
            let key = Self.digits(value)
            if ScalarCaseCache.escapeSlot(key) == ScalarCaseCache.escapeSlot(first) { others.append(key) }
            value += 1
        }
        let cache = ScalarCaseCache()
        defer { cache.deallocate() }
        cache.rememberEscape(digits: first, lowercase: 2, bytes: 1)
        cache.rememberEscape(digits: others[0], lowercase: 2, bytes: 2)
        #expect(cache.escapeEntry(digits: first)?.bytes == 1)
        #expect(cache.escapeEntry(digits: others[0])?.bytes == 2)
        cache.rememberEscape(digits: others[1], lowercase: 2, bytes: 3)
        #expect(cache.escapeEntry(digits: first) == nil)
        #expect(cache.escapeEntry(digits: others[0])?.bytes == 2)
        #expect(cache.escapeEntry(digits: others[1])?.bytes == 3)
    }

    /// Scalars of one set, in turn, as UTF-8 and as escapes: the text is the definition's.
    @Test func scalarsOfOneSetInTurnFollowTheDefinition() throws {
        func key(_ scalar: Unicode.Scalar) -> UInt32 {
            Array(String(scalar).utf8).enumerated().reduce(0) { $0 | UInt32($1.element) << (8 * UInt32($1.offset)) }
        }
        let first = Unicode.Scalar(0xE9)!
        var scalars = [first]
        var value: UInt32 = 0x100
        while scalars.count < 4 {
            if let scalar = Unicode.Scalar(value), ScalarCaseCache.slot(key(scalar)) == ScalarCaseCache.slot(key(first))
            {
                scalars.append(scalar)
            }
            value += 1
        }
        var text = ""
        for round in 0..<6 {
            for (k, scalar) in scalars.enumerated() {
                text += "w\(round)" + String(scalar) + (k % 2 == 0 ? "x " : ", ")
            }
        }
        let shingler = Shingler(ngram: 5)
        shingler.append(text)
        #expect(String(decoding: shingler.normalized, as: UTF8.self) == ShinglerTests.definition(text))
        var escaped: [UInt8] = []
        JSONString.appendQuoted(text, asciiOnly: true, to: &escaped)
        let content = Array(escaped.dropFirst().dropLast())
        let escapedShingler = Shingler(ngram: 5)
        content.withUnsafeBytes { escapedShingler.appendEscaped($0) }
        #expect(escapedShingler.normalized == shingler.normalized)
    }
}
