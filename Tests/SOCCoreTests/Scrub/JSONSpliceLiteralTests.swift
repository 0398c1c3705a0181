import SOCTestSupport
import Testing

@testable import SOCCore

/// `JSONSplice.Literal` writes what `JSONString` writes, into whatever room the array has left
/// (exactly enough, or plenty), after the bytes already there.
@Suite struct JSONSpliceLiteralTests {
    /// Escaped with and without quotes, as `JSONString.appendEscaped` / `appendQuoted` write it,
    /// with the capacity left at exactly `room` or beyond it.
    @Test func escapedMatchesJSONString() {
        var random = SeededNumbers(state: 81)
        for _ in 0..<3000 {
            let text = JSONSpliceTests.randomText(&random)
            for asciiOnly in [false, true] {
                for quoted in [false, true] {
                    var expected: [UInt8] = [7]
                    var exact: [UInt8] = [7]
                    var roomy: [UInt8] = [7]
                    text.withUnsafeBytes {
                        if quoted {
                            JSONString.appendQuoted(utf8: $0, asciiOnly: asciiOnly, to: &expected)
                        } else {
                            JSONString.appendEscaped(utf8: $0, asciiOnly: asciiOnly, to: &expected)
                        }
                        let literal = JSONSplice.Literal(text: $0, mode: .escaped(asciiOnly: asciiOnly), quoted: quoted)
                        exact.reserveCapacity(1 + literal.room)
                        exact.append(contentsOf: literal)
                        roomy.reserveCapacity(4096)
                        JSONSplice.append(literal, to: &roomy)
                    }
                    let what = "\(String(decoding: text, as: UTF8.self).debugDescription) asciiOnly \(asciiOnly)"
                    #expect(exact == expected, "\(what)")
                    #expect(roomy == expected, "\(what)")
                }
            }
        }
    }

    /// Raw: the bytes as they are, in quotes or not; an array appended to piece by piece keeps
    /// every piece.
    @Test func rawCopiesAndPiecesAccumulate() {
        var out: [UInt8] = []
        var expected: [UInt8] = []
        var random = SeededNumbers(state: 82)
        for _ in 0..<500 {
            let text = JSONSpliceTests.randomText(&random)
            let quoted = random.next(2) == 0
            text.withUnsafeBytes {
                JSONSplice.append(JSONSplice.Literal(text: $0, mode: .raw, quoted: quoted), to: &out)
            }
            expected += quoted ? [UInt8(ascii: "\"")] + text + [UInt8(ascii: "\"")] : text
        }
        #expect(out == expected)
        var empty: [UInt8] = []
        JSONSplice.append(
            JSONSplice.Literal(text: UnsafeRawBufferPointer(start: nil, count: 0), mode: .raw, quoted: true), to: &empty
        )
        #expect(empty == Array("\"\"".utf8))
    }
}
