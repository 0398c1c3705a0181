import Testing

@testable import SOCCore

/// `PersonaKey` skips normalizing text made of `isNFCStable` scalars and folding
/// `foldsToItself` ones: each scalar of those ranges must be what the skipped steps would
/// leave, and keys must be those of the definition (normalize, fold, normalize).
@Suite struct PersonaKeyFastPathTests {
    static let ranges: [ClosedRange<UInt32>] = [
        0x80...0x2FF, 0x370...0x3FF, 0x400...0x4FF, 0x600...0x6FF, 0x1E00...0x1EFF, 0x3040...0x30FF,
        0x4E00...0x9FFF, 0xAC00...0xD7A3, 0x1F300...0x1FAFF,
    ]

    @Test func stableScalarsAreTheirOwnNFCWithClassZero() {
        for range in Self.ranges {
            for value in range {
                guard PersonaKey.isNFCStable(value), let scalar = Unicode.Scalar(value) else { continue }
                let text = String(Character(scalar))
                #expect(Array(text._nfcCodeUnits) == Array(text.utf8), "U+\(String(value, radix: 16))")
                #expect(scalar.properties.canonicalCombiningClass == .notReordered, "U+\(String(value, radix: 16))")
                if PersonaKey.foldsToItself(value) {
                    #expect(!scalar.properties.changesWhenCaseFolded, "U+\(String(value, radix: 16))")
                }
            }
        }
    }

    /// A stable scalar after letters of each script (and a Hangul jamo) composes with none.
    @Test func nothingComposesOntoStableScalars() {
        let before: [Unicode.Scalar] = [
            "A", "e", "\u{3B1}", "\u{438}", "\u{627}", "\u{1100}", "\u{AC00}", "\u{304B}", "\u{1EA1}",
        ]
        for range in Self.ranges {
            for value in range {
                guard PersonaKey.isNFCStable(value), let scalar = Unicode.Scalar(value) else { continue }
                for first in before {
                    var text = String(Character(first))
                    text.unicodeScalars.append(scalar)
                    #expect(Array(text._nfcCodeUnits) == Array(text.utf8), "U+\(String(value, radix: 16))")
                }
            }
        }
    }

    /// Keys of names from every script the bench has, and of text mixing stable scalars with
    /// others (combining marks, jamo, singletons), equal the definition's.
    @Test func keysEqualTheNormalizingDefinition() {
        let texts = [
            "Trần Thị Ánh", "TRẦN THỊ ÁNH", "Ελένη Οικονόμου", "ΕΛΈΝΗ", "Σίσυφος", "Ёлка Иванова", "محمد الأحمد",
            "王 小明", "さくら", "サクラ", "김민준", "Zoe\u{308}", "Zoë", "A\u{30A}", "\u{1100}\u{1161}", "가\u{11A8}",
            "\u{374}x", "x\u{387}", "Ω\u{301}", "ǰ", "STRAUSS", "Strauß", "İlknur", "🙂 Zoë", "ᾼ", "Ꭰ", "か\u{3099}",
            "ạ\u{302}", "ا\u{653}", "Ǆemal", "ﬀ", "\u{2126}",
        ]
        for text in texts {
            var copy = text
            let bytes = copy.withUTF8 { Array($0) }
            let fast = bytes.withUnsafeBytes { PersonaKey.folded($0) }
            let definition = bytes.withUnsafeBytes { PersonaKey.folded($0, normalizing: true) }
            #expect(fast == definition, "\(text)")
        }
    }

    /// The two-byte fast path gives the definition's key wherever it answers, for every scalar
    /// below U+0800 between ASCII letters, and answers for stable Latin, Greek and Cyrillic.
    @Test func twoByteFastPathEqualsTheDefinition() {
        var answered = 0
        for value in UInt32(0x80)..<0x800 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            var text = "Ab"
            text.unicodeScalars.append(scalar)
            text += "Cd\u{E9}"
            let bytes = Array(text.utf8)
            var fast: [UInt8] = [9]
            let took = bytes.withUnsafeBytes { PersonaKey.appendTwoByteFolded($0, to: &fast) }
            if took {
                answered += 1
                let definition = bytes.withUnsafeBytes { PersonaKey.folded($0, normalizing: true) }
                #expect(fast == [9] + definition, "U+\(String(value, radix: 16))")
            } else {
                #expect(fast == [9], "U+\(String(value, radix: 16))")
            }
        }
        #expect(answered > 1000)
        for name in ["Ilgın Şahin", "İLKNUR", "Zoë Müller", "Ελένη", "Ёлка Иванова", "STRAUSS ß"] {
            var out: [UInt8] = []
            #expect(Array(name.utf8).withUnsafeBytes { PersonaKey.appendTwoByteFolded($0, to: &out) }, "\(name)")
        }
    }
}
