import CSystem

/// soc-stats' count of a message's tags when every `<` in it either starts no tag or starts one
/// of the well-formed tags real chats hold, written as the grammar writes them: `<image>`,
/// `</image>` (and gif, audio, video), `<end/>` and `<delay UNIT="N"/>`, the media tags
/// balanced. Any other message (an ill-formed, unknown, uppercase or spaced tag, a media tag
/// left open) gives nil, and the caller counts it with `TagScanner`, whose counts these are.
///
/// Hand-written hot path (every message with a `<`, a tenth of real data): `TagScanner` reads
/// a tag's name byte by byte, searches `>` and trims attributes, ~15 mispredicted branches a
/// message in soc-stats; here a tag is one 8-byte compare against the pattern its first letter
/// picks from a table. The tests check it against `ChatStats.scanTags` on random tag soup.
enum WellFormedTags {
    /// The opening tags of one message.
    struct Found {
        /// Opening tags by `ChatTag.rawValue` (image ... end), 8 bits each.
        var counts: UInt64 = 0
        /// Their `ChatTag.bit`s.
        var bits: UInt8 = 0
        /// The minutes of the delays, in order (`delayCount` of them).
        var delays: (Double, Double, Double, Double) = (0, 0, 0, 0)
        var delayCount = 0
    }

    /// A tag's bytes: `pattern` where `mask` is set in the 8 bytes from its `<`, `length` long
    /// (for a delay, its `<delay ` only), and what it does to the media tag open before it
    /// (`open` in `read`): `expect` is what that must be (-1: anything) and `after` what it
    /// becomes (-1: unchanged); `counted` is 1 for an opening tag, counted by name.
    private struct Entry {
        var pattern: UInt64 = 1
        var mask: UInt64 = 0
        var length = 0
        var tag = 0
        var expect = -1
        var after = -1
        var counted: UInt64 = 0
        var isDelay = false
    }

    /// The little-endian word of `text` (at most 8 bytes).
    private static func word(_ text: StaticString) -> (UInt64, UInt64) {
        var pattern: UInt64 = 0
        var mask: UInt64 = 0
        text.withUTF8Buffer { bytes in
            for (k, byte) in bytes.enumerated() {
                pattern |= UInt64(byte) << UInt64(8 * k)
                mask |= 0xFF << UInt64(8 * k)
            }
        }
        return (pattern, mask)
    }

    /// Indexed by a tag's first name letter's low five bits, plus 32 for a closing tag.
    private static let table: [Entry] = {
        var table = [Entry](repeating: Entry(), count: 64)
        func add(_ text: StaticString, _ tag: ChatTag, closing: Bool = false, media: Bool = true) {
            let (pattern, mask) = word(text)
            var entry = Entry(pattern: pattern, mask: mask, length: text.utf8CodeUnitCount, tag: tag.rawValue)
            if media {
                // An opening media tag needs none open and opens itself; a closing one closes it.
                entry.expect = closing ? tag.rawValue + 1 : 0
                entry.after = closing ? 0 : tag.rawValue + 1
            }
            entry.counted = closing ? 0 : 1
            entry.isDelay = tag == .delay
            let letter = text.withUTF8Buffer { $0[closing ? 2 : 1] }
            table[Int(letter & 31) + (closing ? 32 : 0)] = entry
        }
        add("<image>", .image)
        add("</image>", .image, closing: true)
        add("<gif>", .gif)
        add("</gif>", .gif, closing: true)
        add("<audio>", .audio)
        add("</audio>", .audio, closing: true)
        add("<video>", .video)
        add("</video>", .video, closing: true)
        add("<end/>", .end, media: false)
        add("<delay ", .delay, media: false)
        return table
    }()

    /// The opening tags of `text` (unescaped UTF-8), or nil when `TagScanner` must read it.
    static func read(_ text: UnsafeRawBufferPointer) -> Found? {
        let n = text.count
        guard n >= 16, let base = text.baseAddress else { return nil }
        var found = Found()
        var tagCount = 0
        // The media tag open now (its raw value + 1), 0 for none.
        var open = 0
        var i = 0
        return table.withUnsafeBufferPointer { table -> Found? in
            while i < n {
                // The next `<` at or after i: 16 bytes, the last block moved back inside the text.
                let at = Swift.min(i, n &- 16)
                let bits = angles(base + at) >> UInt32(truncatingIfNeeded: i &- at)
                guard bits != 0 else {
                    i = at &+ 16
                    continue
                }
                let p = i &+ Int(bits.trailingZeroBitCount)
                // The 8 bytes from p, zero past the end.
                let q = Swift.min(p, n &- 8)
                let w = base.loadUnaligned(fromByteOffset: q, as: UInt64.self) >> UInt64(8 &* (p &- q))
                let second = UInt8(truncatingIfNeeded: w >> 8)
                let closing = second == UInt8(ascii: "/")
                let letter = closing ? UInt8(truncatingIfNeeded: w >> 16) : second
                // `<` before anything but a letter (or `/` and a letter) starts no tag.
                guard TagScanner.isLetter(letter) else {
                    i = p &+ 1
                    continue
                }
                let entry = table[Int(letter & 31) &+ (closing ? 32 : 0)]
                // The media tag open before must be the one the entry expects (the branches
                // taken are the same for every well-formed tag: which tag comes next is not
                // predictable, so it is selected, not branched on).
                let expected = entry.expect < 0 ? open : entry.expect
                guard w & entry.mask == entry.pattern, open == expected else { return nil }
                tagCount &+= 1
                guard tagCount < 256 else { return nil }
                open = entry.after < 0 ? open : entry.after
                i = p &+ entry.length
                if entry.isDelay {
                    guard found.delayCount < 4, let (minutes, end) = delay(text, from: i) else { return nil }
                    switch found.delayCount {
                    case 0: found.delays.0 = minutes
                    case 1: found.delays.1 = minutes
                    case 2: found.delays.2 = minutes
                    default: found.delays.3 = minutes
                    }
                    found.delayCount &+= 1
                    i = end
                }
                found.counts &+= entry.counted &<< UInt64(8 &* entry.tag)
                found.bits |= UInt8(truncatingIfNeeded: entry.counted) &<< UInt8(entry.tag)
            }
            return open == 0 ? found : nil
        }
    }

    /// Bit k: byte k at `p` is a `<` (reads 16 bytes).
    @inline(__always)
    private static func angles(_ p: UnsafeRawPointer) -> UInt32 {
        let v = p.loadUnaligned(as: SIMD16<UInt8>.self)
        return soc_high_bits16(unsafeBitCast(v .== SIMD16<UInt8>(repeating: 0x3C), to: SIMD16<UInt8>.self))
    }

    /// `UNIT="N"/>` at `start` (UNIT minutes, hours or days, N digits): the delay in minutes as
    /// `TagScanner.delay` gives it, and the offset after the `>`; nil for anything else.
    private static func delay(_ text: UnsafeRawBufferPointer, from start: Int) -> (Double, Int)? {
        var k = start
        while k < text.count, TagScanner.isLetter(text[k]) { k += 1 }
        let unit = UnsafeRawBufferPointer(rebasing: text[start..<k])
        let scale: Double
        if unit.equalsShort("minutes") {
            scale = 1
        } else if unit.equalsShort("hours") {
            scale = 60
        } else if unit.equalsShort("days") {
            scale = 1440
        } else {
            return nil
        }
        guard k + 1 < text.count, text[k] == UInt8(ascii: "="), text[k + 1] == UInt8(ascii: "\"") else { return nil }
        guard let number = TagScanner.wholeNumber(text, from: k + 2) else { return nil }
        k = number.end
        guard k + 3 <= text.count, text[k] == UInt8(ascii: "\""), text[k + 1] == UInt8(ascii: "/"),
            text[k + 2] == UInt8(ascii: ">")
        else { return nil }
        // `TagScanner.delay` adds each unit to a total from 0.
        var total = 0.0
        total += number.value * scale
        return (total, k + 3)
    }
}

extension ChatStats {
    /// `scanTags(text)`: the well-formed tags of a message counted by `WellFormedTags`, any
    /// other message by `TagScanner`.
    mutating func countTags(_ text: UnsafeRawBufferPointer) -> UInt8 {
        guard let found = WellFormedTags.read(text) else { return scanTags(text) }
        if found.bits != 0 {
            tags.withUnsafeMutableBufferPointer { tags in
                var bits = found.bits
                while bits != 0 {
                    let tag = bits.trailingZeroBitCount
                    tags[tag].occurrences += Int(truncatingIfNeeded: found.counts >> UInt64(8 * tag) & 0xFF)
                    bits &= bits &- 1
                }
            }
        }
        if found.delayCount > 0 {
            delayMinutes.add(found.delays.0)
            if found.delayCount > 1 { delayMinutes.add(found.delays.1) }
            if found.delayCount > 2 { delayMinutes.add(found.delays.2) }
            if found.delayCount > 3 { delayMinutes.add(found.delays.3) }
        }
        return found.bits
    }
}
