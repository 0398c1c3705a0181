import SOCTestSupport
import Testing

@testable import SOCCore

/// The table matcher of `SimplePattern` against PCRE2 (the general path of `pattern`) on many
/// generated subjects: near misses of every length around the fixed runs, bytes just outside
/// each class, non-ASCII and NUL bytes.
@Suite struct SimplePatternDifferentialTests {
    static let patterns = [
        "^[0-9a-f]{32}$", "^[0-9a-f]{32}_[0-9a-f]{32}_[0-9]+$", "^[a-z]+-[0-9]{2,4}$", "^\\d{3}\\.[a-c]?x*$",
        "^ab[c-e]{1,}$", "^[0-9]*$", "^[0-9a-f]{7}$", "^[0-9a-f]{8}$", "^[0-9a-f]{9}$", "^x{0}y?$",
        "^[A-Z]{16}[0-9]{3}$",
    ]

    /// Bytes a subject is built of: each pattern's own characters, their neighbours, and others.
    static let alphabet: [UInt8] =
        Array("0123456789abcdefgABCDEFxyz_-./:`@G{}".utf8) + [0, 0x7F, 0x80, 0xC3, 0xA9, 0xFF]

    @Test func tableMatcherAgreesWithPCRE2() throws {
        var rng = SeededNumbers(state: 2026)
        for pattern in Self.patterns {
            let simple = try #require(SimplePattern.compile(pattern), "\(pattern) should be simple")
            let regex = try PCRE2Regex(pattern, options: PCRE2Regex.Options(rawValue: 0x0000_0010))  // DOLLAR_ENDONLY
            for round in 0..<3_000 {
                var subject = Self.subject(near: pattern, round: round, &rng)
                // PCRE2 with UTF checking rejects invalid UTF-8: compare on valid subjects only.
                guard String(validating: subject, as: UTF8.self) != nil else { continue }
                let expected = try subject.withUnsafeBytes { try regex.matches($0) }
                let got = subject.withUnsafeMutableBytes { simple.matches(UnsafeRawBufferPointer($0)) }
                #expect(got == expected, "\(pattern) on \(subject)")
            }
        }
    }

    /// A subject that often matches: a matching-looking string with a few random edits.
    static func subject(near pattern: String, round: Int, _ rng: inout SeededNumbers) -> [UInt8] {
        let hex = Array("0123456789abcdef".utf8)
        var base: [UInt8]
        switch round % 4 {
        case 0: base = (0..<32).map { _ in hex[rng.next(16)] }
        case 1:
            base =
                (0..<32).map { _ in hex[rng.next(16)] } + [95] + (0..<32).map { _ in hex[rng.next(16)] } + [95]
                + (0..<(1 + rng.next(10))).map { _ in UInt8(48 + rng.next(10)) }
        case 2: base = (0..<rng.next(40)).map { _ in alphabet[rng.next(alphabet.count)] }
        default: base = (0..<(rng.next(3) * 8 + rng.next(3))).map { _ in hex[rng.next(16)] }
        }
        for _ in 0..<rng.next(3) where !base.isEmpty {
            switch rng.next(3) {
            case 0: base[rng.next(base.count)] = alphabet[rng.next(alphabet.count)]
            case 1: base.remove(at: rng.next(base.count))
            default: base.insert(alphabet[rng.next(alphabet.count)], at: rng.next(base.count + 1))
            }
        }
        return base
    }
}
