import Testing

@testable import SOCCore

/// `PropertyTable.index(of:expected:in:)` (the name at the key's position tried first, by two
/// masked loads) against `index(of:in:)`, for names of every length to 20 and keys equal to
/// them, one byte off at each position, one byte shorter or longer, or escaped.
@Suite struct PropertyTableExpectedTests {
    @Test func expectedPositionAgreesWithTheSearch() throws {
        let names = (1...20).map { length in String((0..<length).map { Character(UnicodeScalar(UInt8(97 + $0))) }) }
        var keys: [String] = []
        for name in names {
            keys.append(name)
            keys.append(name + "z")
            keys.append(String(name.dropLast()))
            for k in 0..<name.count {
                var bytes = Array(name.utf8)
                bytes[k] = UInt8(ascii: "Z")
                keys.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        let table = PropertyTable(names)
        let members = keys.enumerated().map { #""\#($0.element)": \#($0.offset)"# }
        let escaped = #""\u0061bcd": 0"#
        try withDocument("{" + (members + [escaped]).joined(separator: ", ") + "}") { document in
            for key in document.memberKeys(0) {
                let searched = table.index(of: key, in: document)
                for expected in 0..<names.count + 1 {
                    #expect(table.index(of: key, expected: expected, in: document) == searched)
                }
            }
        }
        // Keys at the very end of a short line (the loads stay inside it).
        try withDocument(#"{"abcd":1}"#) { document in
            #expect(table.index(of: 1, expected: 3, in: document) == 3)
        }
    }
}
