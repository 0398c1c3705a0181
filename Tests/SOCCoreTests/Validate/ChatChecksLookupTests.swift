import Testing

@testable import SOCCore

/// soc-validate's sender comparison against `SchemaEquality.stringsEqual`, on strings of every
/// short length, escaped or not.
@Suite struct ChatChecksLookupTests {
    @Test func sameStringAgreesWithStringsEqual() throws {
        var strings: [String] = []
        for length in 0...41 {
            let text = String((0..<length).map { Character(UnicodeScalar(UInt8(97 + $0 % 26))) })
            strings.append(text)
            if length > 0 {
                strings.append(String(text.dropLast()) + "z")
                strings.append("z" + text.dropFirst())
                strings.append(#"\u0061"# + text.dropFirst())
            }
        }
        let line = "[" + strings.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        try withDocument(line) { document in
            let items = Array(document.elements(0))
            for a in items {
                for b in items {
                    #expect(
                        ChatChecks.sameString(document, a, b) == SchemaEquality.stringsEqual(document, a, b),
                        "\(document.string(a) ?? "") vs \(document.string(b) ?? "")")
                }
            }
        }
    }
}
