import Testing

@testable import SOCCore

/// The shingler reserves `Shingler.room(count)` once per string and tests no room per scalar:
/// that holds only if no letter or digit lowercases to more than one and a half times its own
/// UTF-8 (and an escape, at least six bytes for a scalar, to no more than its own length).
@Suite struct ShinglerRoomTests {
    /// Every scalar of Unicode, as Swift's tables give its category and lowercase.
    @Test func noLowercaseIsLongerThanTheRoomOfItsScalar() {
        var longer: [UInt32] = []
        var tooLong: [UInt32] = []
        for value in UInt32(0x80)...0x10_FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .decimalNumber, .letterNumber, .otherNumber:
                let length = UTF8.width(scalar)
                let lowercase = scalar.properties.lowercaseMapping.utf8.count
                // The step's bound (`length + length >> 1`), which a `\u` escape (six bytes,
                // twelve for a pair) also keeps.
                if lowercase > length + length >> 1 || lowercase > (value > 0xFFFF ? 12 : 6) { tooLong.append(value) }
                if lowercase > length { longer.append(value) }
            default: break
            }
        }
        #expect(tooLong.isEmpty)
        // İ, Ⱥ and Ⱦ, as `room` says.
        #expect(longer == [0x130, 0x23A, 0x23E])
    }

    @Test func aStringOfScalarsThatGrowFitsItsRoom() {
        for count in [1, 2, 15, 16, 17, 100, 30_000] {
            let text = String(repeating: "İȺȾ", count: count) + " x"
            let shingler = Shingler(ngram: 5)
            shingler.append(text)
            #expect(String(decoding: shingler.normalized, as: UTF8.self) == ShinglerTests.definition(text))
        }
    }
}
