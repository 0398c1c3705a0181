import Testing

@testable import SOCCore

/// `PersonaMatcher.asciiEndsMayMatch` rules candidates out by their ASCII ends without folding
/// them: it must never rule out a candidate whose key is a persona's key.
@Suite struct PersonaMatcherEndsTests {
    static let names = [
        "Ilgın Şahin", "Zoë Müller", "STRAUSS", "Strauß", "İlknur Yılmaz", "Trần Thị Ánh", "Ελένη", "Ёлка Иванова",
        "José", "Jose\u{301}", "ǰames", "ﬀ ab", "Mei Huang", "Ǆemal", "AÅ", "Ωmega", "Zoe\u{308} Mu\u{308}ller",
        "A\u{30A}", "Ilgin Şahin",
    ]

    /// Variants of each name: its cases, and the forms written with the other names' letters
    /// (composed or decomposed, dotless or dotted i).
    static func variants(_ name: String) -> [String] {
        [name, name.uppercased(), name.lowercased()] + names
    }

    @Test func neverRulesOutAMatchingCandidate() {
        for name in Self.names {
            let values = PersonaValues(name: Array(name.utf8), username: nil)
            for variant in Self.variants(name) + Self.variants(name.split(separator: " ").first.map(String.init)!) {
                let bytes = Array(variant.utf8)
                guard !bytes.allSatisfy({ $0 < 0x80 }) else { continue }
                let key = bytes.withUnsafeBytes { PersonaKey.key($0) }
                let isValue = values.keys.contains(key)
                let kept = withExtendedLifetime(values) {
                    bytes.withUnsafeBytes { PersonaMatcher.asciiEndsMayMatch($0, [values.view]) }
                }
                if isValue { #expect(kept, "\(variant) of \(name)") }
                // By words: never rules out what the loops keep.
                if bytes.count >= 8, let ends = values.keyEnds {
                    let byWords = bytes.withUnsafeBytes {
                        PersonaMatcher.asciiEndsMayMatch(words: $0, ends, count: KeyEnds.slots)
                    }
                    if kept { #expect(byWords, "\(variant) of \(name)") }
                }
            }
        }
    }

    /// By words, a candidate whose ends are no key's is still ruled out.
    @Test func wordsRuleOutSentencesWithOtherEnds() throws {
        let values = PersonaValues(name: Array("Ilgın Şahin".utf8), username: Array("owl_910".utf8))
        let ends = try #require(values.keyEnds)
        for (text, expected) in [
            ("here's the thing — ok", false), ("Mei says 🙂 hi", false), ("ILGIN ŞAHIN", true), ("Ilgın Şahin", true),
            ("ilgın şahin", true), ("I told Ελένη", false), ("Ελένη said", false),
        ] {
            let bytes = Array(text.utf8)
            let kept = bytes.withUnsafeBytes { PersonaMatcher.asciiEndsMayMatch(words: $0, ends, count: KeyEnds.slots) }
            #expect(kept == expected, "\(text)")
        }
    }

    @Test func rulesOutSentencesWithOtherEnds() {
        let values = PersonaValues(name: Array("Ilgın Şahin".utf8), username: Array("owl_910".utf8))
        withExtendedLifetime(values) {
            for sentence in ["here's the thing — ok", "Mei says 🙂 hi", "ok ş"] {
                let bytes = Array(sentence.utf8)
                #expect(!bytes.withUnsafeBytes { PersonaMatcher.asciiEndsMayMatch($0, [values.view]) }, "\(sentence)")
            }
            for kept in ["ILGIN ŞAHIN", "ilgın", "Ilgın Şahin", "ş"] {
                let bytes = Array(kept.utf8)
                #expect(bytes.withUnsafeBytes { PersonaMatcher.asciiEndsMayMatch($0, [values.view]) }, "\(kept)")
            }
        }
    }
}
