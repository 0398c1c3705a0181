import SOCTestSupport
import Testing

@testable import SOCCore

/// The word-at-a-time byte comparisons (`equalsShort`, `ChatStats.sameBytes`) against
/// `elementsEqualBytes`, for every length around their word and vector sizes.
@Suite struct ShortBytesTests {
    /// The literals compared with: every length from 0 to 17 and one longer.
    static let literals: [StaticString] = [
        "", "a", "id", "age", "name", "model", "sender", "persona", "messages", "situation", "background",
        "chat_parts_", "relationship", "chat_parts_12", "chatting_style", "chatting_style1", "0123456789abcdef",
        "0123456789abcdefg", "a key longer than sixteen bytes",
    ]

    @Test func equalsShortEqualsElementsEqualBytes() {
        var numbers = SeededNumbers(state: 4242)
        for literal in Self.literals {
            let text = Array(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
            // The literal itself, each one-byte change of it, and each prefix and one-byte extension.
            var candidates = [text]
            for k in text.indices {
                var changed = text
                changed[k] ^= UInt8(1 << numbers.next(8))
                candidates.append(changed)
                candidates.append(Array(text[..<k]))
            }
            candidates.append(text + [0x61])
            for candidate in candidates {
                // Placed at an odd offset in a larger buffer, so that loads are unaligned.
                let padded = [0x20] + candidate + [0x20]
                padded.withUnsafeBytes { raw in
                    let bytes = UnsafeRawBufferPointer(rebasing: raw[1..<(1 + candidate.count)])
                    #expect(bytes.equalsShort(literal) == bytes.elementsEqualBytes(literal), "\(literal) \(candidate)")
                }
            }
        }
    }

    @Test func sameBytesEqualsElementsEqualBytes() {
        var numbers = SeededNumbers(state: 777)
        for count in 0...70 {
            for _ in 0..<40 {
                let a = (0..<count).map { _ in UInt8(numbers.next(3)) + 0x30 }
                var b = a
                if count > 0 && numbers.next(3) > 0 { b[numbers.next(count)] ^= 1 }
                if numbers.next(8) == 0 { b.append(0x30) }
                a.withUnsafeBytes { x in
                    b.withUnsafeBytes { y in
                        #expect(ChatStats.sameBytes(x, y) == x.elementsEqualBytes(y), "\(a) \(b)")
                    }
                }
            }
        }
    }
}
