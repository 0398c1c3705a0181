import Testing

@testable import SOCCore

/// `BlankText.needsTrim` and `trimmedRange` rule out most non-ASCII ends from their bytes
/// (`mayStartBlank`, `mayEndWhitespace`, `mayStartWhitespace`) before decoding: they give the
/// answers of the definitions they shortcut (decode every end, then check blankness), kept here
/// as the reference.
@Suite struct BlankTextEndsTests {
    /// `trimmedRange` as it was before the byte checks: scalars decoded from either end.
    static func referenceTrimmedRange(_ text: UnsafeRawBufferPointer, leading: Bool, trailing: Bool) -> Range<Int> {
        var start = 0
        var end = text.count
        if leading {
            while start < end {
                let (scalar, length) = BlankText.decode(text, at: start)
                guard BlankText.isWhitespace(scalar) else { break }
                start += length
            }
        }
        if trailing {
            while end > start {
                var begin = end - 1
                while begin > start && text[begin] & 0xC0 == 0x80 { begin -= 1 }
                let (scalar, _) = BlankText.decode(text, at: begin)
                guard BlankText.isWhitespace(scalar) else { break }
                end = begin
            }
        }
        return start..<end
    }

    /// `needsTrim` by its definition.
    static func referenceNeedsTrim(_ text: UnsafeRawBufferPointer) -> Bool {
        text.isEmpty || referenceTrimmedRange(text, leading: true, trailing: true) != 0..<text.count
            || BlankText.isBlank(text)
    }

    /// Every White_Space and default-ignorable scalar (ranges in full), their neighbours, and
    /// characters whose UTF-8 shares lead or last bytes with them (emoji, CJK, accents).
    static let scalars: [UInt32] = {
        var all: [UInt32] = [
            0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0x21, 0x41, 0x7E, 0x7F, 0x01, 0x1F, 0x84, 0x85, 0x86, 0x9F, 0xA0,
            0xA1, 0xAD, 0xAE, 0xE9, 0x34F, 0x61C, 0x1680, 0x1681, 0x3000, 0x3001, 0x3164, 0xFEFF, 0xFFA0, 0x4E2D,
            0x1F35C, 0x1F914, 0x1F1F9, 0x2764, 0x1BC9F, 0x1BCA4, 0x1D172, 0x1D17B, 0xE0000, 0xE0FFF, 0xE1000,
            0x10FFFF, 0x205E, 0x205F, 0x2060, 0x2070, 0x202F, 0x2030, 0x1160, 0x115F, 0x1161,
            // Ends that share a last byte with White_Space, and starts that share a lead byte
            // with it or a default-ignorable: ¯ ╯ ✨ ☕ あ ش, emoji, and E2/E3/E1/D8 neighbours.
            0xAF, 0x256F, 0x2728, 0x2615, 0x3042, 0x0634, 0x0600, 0x061B, 0x061D, 0x1F605, 0x1F440, 0x1F480,
            0x2080, 0x208A, 0x20A8, 0x20AF, 0x209F, 0x2180, 0x3080, 0x3100, 0x3163, 0x3165, 0x1A80, 0x1680,
            0x1E80, 0x169A, 0x0E85, 0x0EA0, 0x10A0, 0x0485, 0x04A0,
        ]
        for range in [
            0x2000...0x2030, 0x17B3...0x17B6, 0x180A...0x1810, 0x202A...0x202E, 0xFE00...0xFE10, 0xFFF0...0xFFF9,
            0x1BCA0...0x1BCA3, 0x1D173...0x1D17A,
        ] {
            all.append(contentsOf: range.map(UInt32.init))
        }
        return all
    }()

    static func utf8(_ scalar: UInt32) -> [UInt8] {
        Array(String(Character(Unicode.Scalar(scalar)!)).utf8)
    }

    @Test func sameAsDecodingEveryEnd() {
        let pieces = Self.scalars.map(Self.utf8)
        let middles: [[UInt8]] = [[], Array("a".utf8), Array("hi there".utf8), Self.utf8(0x20)]
        var checked = 0
        for head in pieces + [[]] {
            for tail in pieces + [[]] {
                for middle in middles {
                    let text = head + middle + tail
                    text.withUnsafeBytes { text in
                        #expect(BlankText.needsTrim(text) == Self.referenceNeedsTrim(text), "\(Array(text))")
                        for (leading, trailing) in [(true, true), (true, false), (false, true), (false, false)] {
                            #expect(
                                BlankText.trimmedRange(text, leading: leading, trailing: trailing)
                                    == Self.referenceTrimmedRange(text, leading: leading, trailing: trailing),
                                "\(Array(text)) \(leading) \(trailing)")
                        }
                    }
                    checked += 1
                }
            }
        }
        #expect(checked > 10_000)
    }

    /// Texts of up to three characters drawn from the scalars above, every one of them.
    @Test func sameOnShortTextsOfTheseCharacters() {
        let pieces = Self.scalars.filter { $0 < 0x80 || $0 % 3 == 0 }.map(Self.utf8)
        for a in pieces {
            for b in pieces {
                for c in [[], pieces[0], pieces[pieces.count / 2], pieces[pieces.count - 1]] {
                    let text = a + b + c
                    text.withUnsafeBytes { text in
                        #expect(BlankText.needsTrim(text) == Self.referenceNeedsTrim(text), "\(Array(text))")
                        let reference = Self.referenceTrimmedRange(text, leading: true, trailing: true)
                        #expect(BlankText.trimmedRange(text) == reference, "\(Array(text))")
                    }
                }
            }
        }
    }
}
