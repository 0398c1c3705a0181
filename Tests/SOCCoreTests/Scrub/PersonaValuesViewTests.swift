import Testing

@testable import SOCCore

/// `PersonaValuesView` tells the values and keys of the `PersonaValues` it was taken from, and
/// `PersonaFieldTable` keeps the values behind a view it handed out alive after it empties
/// itself once (a matcher holds its views for the record in which they were found).
@Suite struct PersonaValuesViewTests {
    @Test func viewTellsWhatTheValuesHold() {
        let names: [(String?, String?)] = [
            ("Ilgın Şahin", "owl_910"), ("Grete Strauß", nil), (nil, "quantum_scribe"), ("Zoe\u{308} O'Brien", "zo"),
            ("王 小明", "王"), (nil, nil),
        ]
        for (name, username) in names {
            let values = PersonaValues(name: name.map { Array($0.utf8) }, username: username.map { Array($0.utf8) })
            withExtendedLifetime(values) {
                let view = values.view
                #expect(view.raw == values.raw)
                #expect(view.keys == values.keys)
                #expect(view.raw.count == view.rawCount && view.keys.count == view.keyCount)
                #expect(view.longestKey == (view.keys.map(\.count).max() ?? 0))
                #expect(view.prints == values.prints && view.keyEnds == values.keyEnds)
            }
        }
    }

    @Test func tableKeepsHandedOutValuesAliveAfterEmptying() {
        var table = PersonaFieldTable()
        let none = UnsafeRawBufferPointer(start: nil, count: 0)
        let first = Array("Elias Vance".utf8)
        weak var firstValues: PersonaValues?
        var view: PersonaValuesView?
        first.withUnsafeBytes { bytes in
            let key = PersonaFields(flags: 1, name: bytes, username: none)
            let values = PersonaValues(name: first, username: nil)
            firstValues = values
            table.insert(key, values)
            view = table.find(key)
        }
        // Past the table's bound (50,000 entries) it empties itself once.
        let username = Array("u".utf8)
        for k in 0..<50_001 {
            let name = Array("persona \(k)".utf8)
            name.withUnsafeBytes { bytes in
                table.insert(
                    PersonaFields(flags: 1, name: bytes, username: none), PersonaValues(raw: [name], keys: [username]))
            }
        }
        first.withUnsafeBytes { bytes in
            #expect(table.find(PersonaFields(flags: 1, name: bytes, username: none)) == nil)
        }
        #expect(firstValues != nil)
        #expect(view?.raw == [first, Array("Elias".utf8)])
    }
}
