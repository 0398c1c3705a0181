import SOCTestSupport
import Testing

@testable import SOCCore

/// `PairComposition.nfc` (decomposed names composed pair by pair) against the standard
/// library's NFC of the whole text, and the keys made through it against the definition
/// (`folded(_:normalizing: true)`), over texts mixing stable letters of every script the data
/// has with combining marks, jamo, voicing marks and other scalars that are not stable, one or
/// several in a row; malformed UTF-8 is left to the caller (nil).
@Suite struct PersonaKeyCompositionTests {
    static let stable: [String] = [
        "a", "E", "o", "n", "Z", " ", "'", "é", "İ", "ı", "ß", "Ω", "ά", "Ж", "и", "ш", "ب", "ơ", "ư", "Ạ", "가", "中",
        "か",
        "ア", "😀",
    ]
    static let other: [String] = [
        "\u{301}", "\u{300}", "\u{308}", "\u{327}", "\u{323}", "\u{302}", "\u{307}", "\u{306}", "\u{31B}", "\u{309}",
        "\u{303}", "\u{30C}", "\u{30A}", "\u{345}", "\u{344}", "\u{340}", "\u{34F}", "\u{2019}", "\u{3099}", "\u{11A8}",
        "\u{1161}", "\u{483}", "\u{200D}", "\u{FE0F}", "\u{1F3FB}", "\u{0E31}",
    ]

    static func nfc(_ text: [UInt8]) -> [UInt8] { Array(String(decoding: text, as: UTF8.self)._nfcCodeUnits) }

    @Test func matchesTheStandardLibrarysNFC() {
        var numbers = SeededNumbers(state: 20_261_202)
        var fast = 0
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...6, using: &numbers) {
                text += Self.stable.randomElement(using: &numbers)!
                if Int.random(in: 0...2, using: &numbers) > 0 {
                    for _ in 0..<(Int.random(in: 0...5, using: &numbers) == 0 ? 2 : 1) {
                        text += Self.other.randomElement(using: &numbers)!
                    }
                }
            }
            let bytes = Array(text.utf8)
            let composed = bytes.withUnsafeBytes { PairComposition.nfc($0) }
            if let composed {
                fast += 1
                #expect(composed == Self.nfc(bytes), "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
            }
            let key = bytes.withUnsafeBytes { PersonaKey.folded($0) }
            let definition = bytes.withUnsafeBytes { PersonaKey.folded($0, normalizing: true) }
            #expect(key == definition, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        // Most texts take the pair path (one mark after each letter).
        #expect(fast > 10_000)
    }

    @Test func everyPairOfALatinLetterAndACombiningMark() {
        for base in Array(0x41...0x7A) + Array(0xC0...0x24F) {
            for mark in 0x300...0x36F {
                let text = String(Unicode.Scalar(UInt32(base))!) + String(Unicode.Scalar(UInt32(mark))!) + "x"
                let bytes = Array(text.utf8)
                let composed = bytes.withUnsafeBytes { PairComposition.nfc($0) }
                #expect(
                    composed == nil || composed == Self.nfc(bytes),
                    "U+\(String(base, radix: 16)) U+\(String(mark, radix: 16))")
            }
        }
    }

    @Test func malformedUTF8IsLeftToTheCaller() {
        for bytes: [UInt8] in [
            [0x61, 0xCC], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0x65, 0xFF],
        ] {
            #expect(bytes.withUnsafeBytes { PairComposition.nfc($0) } == nil, "\(bytes)")
        }
    }
}
