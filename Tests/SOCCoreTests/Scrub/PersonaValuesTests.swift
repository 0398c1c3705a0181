import Testing

@testable import SOCCore

/// `PersonaValues(name:username:)` finds a persona's values in its bytes; they must be exactly
/// those `PersonaNames` (the definition, built from strings) gives for that one persona, with
/// the same keys, for every kind of name the data has: white space of every width between and
/// around the words, special casing, decomposed letters, escapes' replacement characters,
/// missing and empty fields.
@Suite struct PersonaValuesTests {
    static let names: [String?] = [
        nil, "", " ", "Elias", "Elias Vance", "  Elias   Vance  ", "Elias\tVance\nJr.", "Elias\u{A0}Vance",
        "Elias\u{2003}Vance\u{3000}", "Shivani Yılmaz", "İlknur", "Grete Strauß", "Zoe\u{308} O'Brien",
        "Trần Thị Ánh", "Ελένη Οικονόμου", "محمد الأحمد", "王 小明", "Dr. J.R. Smith", "\u{FFFD}x",
        "Elias\u{200B}Vance", "x\u{85}y",
    ]
    static let usernames: [String?] = [
        nil, "", " ", "quantum_scribe", " quantum_scribe ", "\tq\n", "ελένη_quantum", "\u{A0}q\u{A0}", "q\u{2003}",
        "e\u{301}",
    ]

    @Test func bytesGiveWhatPersonaNamesGives() {
        for name in Self.names {
            for username in Self.usernames {
                let names = PersonaNames([(name, username)])
                let expected = names.names + names.firstNames + names.usernames
                let values = PersonaValues(name: name.map { Array($0.utf8) }, username: username.map { Array($0.utf8) })
                #expect(
                    values.raw == expected.map { Array($0.utf8) },
                    "name \(String(describing: name)), username \(String(describing: username))")
                #expect(values.keys == expected.map { PersonaKey.key($0) })
            }
        }
    }

    /// `make` over bytes, with its buffers reused from persona to persona (as
    /// `PersonaValueCache` reuses them), gives what `init(name:username:)` gives.
    @Test func makeWithReusedBuffersGivesTheSameValues() {
        var scratch = PersonaValues.Scratch()
        var keyBytes: [UInt8] = []
        for name in Self.names.reversed() {
            for username in Self.usernames {
                let expected = PersonaValues(
                    name: name.map { Array($0.utf8) }, username: username.map { Array($0.utf8) })
                let nameBytes = name.map { Array($0.utf8) } ?? []
                let usernameBytes = username.map { Array($0.utf8) } ?? []
                let made = nameBytes.withUnsafeBytes { n in
                    usernameBytes.withUnsafeBytes { u in
                        PersonaValues.make(
                            name: name == nil ? nil : n, username: username == nil ? nil : u, scratch: &scratch,
                            keyBytes: &keyBytes)
                    }
                }
                #expect(made.raw == expected.raw, "name \(String(describing: name))")
                #expect(made.keys == expected.keys)
                #expect(made.longestKey == expected.longestKey)
            }
        }
    }

    /// `PersonaKey.appendFolded` after other bytes appends what `folded` gives.
    @Test func appendFoldedKeepsWhatWasBefore() {
        for name in Self.names.compactMap({ $0 }) {
            let bytes = Array(name.utf8)
            var out: [UInt8] = [1, 2, 3]
            bytes.withUnsafeBytes { PersonaKey.appendFolded($0, to: &out) }
            #expect(out == [1, 2, 3] + bytes.withUnsafeBytes { PersonaKey.folded($0) }, "\(name)")
        }
    }

    /// `appendTrimmed` keeps a username as it is only where `trimmingBlanks` would: usernames
    /// with white space, marks, Prepend scalars and non-ASCII at either end.
    @Test func appendTrimmedAgreesWithTrimmingBlanks() {
        let usernames = [
            "owl_910", "şahin_42", " şahin", "şahin ", "\u{A0}zoë_1", "zoë_1\u{A0}", "\u{2003}x", "x\u{2003}",
            " \u{301}x", "x \u{301}", "\u{600}x", "x\u{600}", "\u{200B}x", "x\u{200B}", "ё", "\u{301}a", "a\u{301}",
            "\t", " ", "", "\u{1F642}a", "a\u{1F642}", "\r\n", "a\r\n", "\u{85}a", "a\u{85}", "\u{2028}b", "日本_1",
        ]
        for username in usernames {
            let bytes = Array(username.utf8)
            var out: [UInt8] = [7]
            bytes.withUnsafeBytes { PersonaValues.appendTrimmed($0, to: &out) }
            #expect(out == [7] + Array(username.trimmingBlanks.utf8), "\(username.unicodeScalars.map(\.value))")
        }
    }

    /// Threads sharing a table get the values the first one made, and a persona new to the
    /// table is made once.
    @Test func sharedTableMakesEachPersonaOnce() {
        let table = PersonaValueTable()
        var made = 0
        let source: [UInt8] = Array("Elias Vance".utf8)
        let zoe: [UInt8] = Array("Zoë".utf8)
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        source.withUnsafeBytes { name in
            let key = PersonaFields(flags: 1, name: name, username: none)
            let first = table.values(key) {
                made += 1
                return PersonaValues(name: source, username: nil)
            }
            let again = table.values(key) {
                made += 1
                return PersonaValues(name: source, username: nil)
            }
            #expect(made == 1)
            #expect(first === again)
            // The same hash with other bytes is another persona (a collision is not a hit).
            zoe.withUnsafeBytes { other in
                var collision = PersonaFields(flags: 1, name: other, username: none)
                collision.hash = key.hash
                let made2 = table.values(collision) {
                    made += 1
                    return PersonaValues(name: zoe, username: nil)
                }
                #expect(made == 2)
                #expect(made2.raw == [zoe, zoe])
            }
            // The same bytes as a username are another persona too.
            _ = table.values(PersonaFields(flags: 4, name: none, username: name)) {
                made += 1
                return PersonaValues(name: nil, username: source)
            }
            #expect(made == 3)
        }
    }

    /// A table keeps every entry it is given as it grows past its first slots.
    @Test func fieldTableFindsEveryEntryAfterGrowing() {
        var table = PersonaFieldTable()
        let names = (0..<5000).map { Array("persona \($0)".utf8) }
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        for name in names {
            name.withUnsafeBytes { bytes in
                let key = PersonaFields(flags: 1, name: bytes, username: none)
                #expect(table.find(key) == nil)
                table.insert(key, PersonaValues(name: name, username: nil))
            }
        }
        for name in names {
            name.withUnsafeBytes { bytes in
                #expect(table.find(PersonaFields(flags: 1, name: bytes, username: none))?.raw.first == name)
            }
        }
    }
}
