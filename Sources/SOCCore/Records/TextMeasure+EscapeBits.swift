import CSystem

/// Correcting the vector pass's figures of an escaped text of 16 bytes or more, escape by escape
/// from 64-bit words of backslash bits (stored by the vector pass itself up to 1,024 bytes).
///
/// Hand-written hot path: half the messages of real data are written as Python's `json.dumps`
/// writes them, every non-ASCII character a `\uXXXX` escape, and the walk one escape at a time
/// (`correctedOneByOne`: a backslash search, a switch on the escape's letter, a test for a
/// surrogate pair) cost two mispredicted branches an escape. Here an escape's length, its pair
/// and whether it matters to the words are arithmetic on its bytes; the one branch left per
/// escape is taken only by escapes that stand for a blank character or `<`. The tests check it
/// against `correctedOneByOne` and against measuring the unescaped text.
extension TextMeasure {
    /// `measured` (the vector pass over the `n` ≥ 16 escaped bytes at `base`, validated by the
    /// parser) corrected for what each escape stands for: `correctedOneByOne`'s figures.
    static func correctedByEscapeBits(_ measured: Figures, _ base: UnsafeRawPointer, _ n: Int) -> Figures {
        corrected(measured, base, n) { backslashWord(base, $0, n) }
    }

    /// `correctedByEscapeBits` with the backslash bits of bytes `wordBase ..< wordBase + 64`
    /// given by `word(wordBase)`.
    @inline(__always)
    static func corrected(
        _ measured: Figures, _ base: UnsafeRawPointer, _ n: Int, word: (Int) -> UInt64
    ) -> Figures {
        var figures = measured
        // Bytes of escapes beyond the one character each stands for.
        var dropped = 0
        var wordChange = 0
        // The ends of the escape before and of the last blank one (-1: none).
        var previousEnd = -1
        var blankEnd = -1
        var wordBase = 0
        repeat {
            // Backslashes inside an escape that began in the word before are not escapes.
            let inside = UInt64(truncatingIfNeeded: Swift.max(previousEnd &- wordBase, 0))
            var bits = word(wordBase) & (~0 &<< inside)
            while bits != 0 {
                let start = wordBase &+ bits.trailingZeroBitCount
                let letter = base.load(fromByteOffset: start &+ 1, as: UInt8.self)
                // 1 for `\u`, else 0 (`u` is the only escape letter with bit 4 and bit 0 set).
                let isU = Int(letter >> 4 & letter & 1)
                // Four digits, read inside the text (not this escape's unless `isU`).
                let value = hex4(base, Swift.min(start &+ 2, n &- 4))
                // A high surrogate followed by `\uDC00`...`\uDFFF` (any case) is one character.
                // Each test is a 0 or 1 by arithmetic: as compares LLVM made them branches, and
                // whether an escape is half of an emoji is not predictable.
                let nextAt = Swift.min(start &+ 6, n &- 4)
                let nextBytes = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: nextAt, as: UInt32.self))
                let next = nextBytes | 0x2020_0000
                let high = Self.isZero((value & 0xFC00) ^ 0xD800)
                let lowStart = Self.isZero((next & 0x00FF_FFFF) ^ 0x0064_755C)
                let lowDigit = Self.isZero(UInt32(UInt8(truncatingIfNeeded: next >> 24) &- 0x63) >> 2)
                let fits = Int(bitPattern: UInt(bitPattern: n &- start &- 12) >> 63) ^ 1
                let pair = isU & high & lowStart & lowDigit & fits
                let length = 2 &+ 4 &* isU &+ 6 &* pair
                let end = start &+ length
                dropped &+= length &- 1
                // Blank (`\f \n \r \t`, `\u0009`...`\u000D`, `\u0020`) or `\u003c`: bits 6, 14, 18
                // and 20 are f, n, r, t by their low five bits; bits 9-13, 32 and 60 the values.
                let specialValue =
                    Int(truncatingIfNeeded: (0x1000_0001_0000_3E00 as UInt64) &>> UInt64(value & 63) & 1)
                    & Self.isZero(value >> 6)
                let specialLetter = Int(truncatingIfNeeded: (0x0014_4040 as UInt32) &>> UInt32(letter & 31) & 1)
                if isU & specialValue | (isU ^ 1) & specialLetter != 0 {
                    if isU != 0 && value == 0x3C {
                        figures.hasAngleBracket = true
                        if start == blankEnd { wordChange &+= 1 }
                    } else {
                        // The vector pass started a word here when the unit before was blank to it.
                        if start == 0
                            || (start != previousEnd
                                && isBlank(UInt32(base.load(fromByteOffset: start &- 1, as: UInt8.self))))
                        {
                            wordChange &-= 1
                        }
                        // A plain non-blank byte after it starts a word (an escape after it is its own case).
                        if end < n {
                            let after = base.load(fromByteOffset: end, as: UInt8.self)
                            if after != UInt8(ascii: "\\") && !isBlank(UInt32(after)) { wordChange &+= 1 }
                        }
                        blankEnd = end
                    }
                } else {
                    // A non-blank escape right after a blank one starts a word.
                    wordChange &+= start == blankEnd ? 1 : 0
                }
                previousEnd = end
                // The bits up to the escape's end cleared (all of them when it ends past the word).
                bits &= (~0 &<< UInt64(truncatingIfNeeded: Swift.min(end &- wordBase, 64) &- 1)) &<< 1
            }
            wordBase &+= 64
        } while wordBase < n
        figures.characters &-= dropped
        figures.words &+= wordChange
        return figures
    }

    /// 1 when `x` (below 2^31) is 0, else 0, without a compare.
    @inline(__always)
    static func isZero(_ x: UInt32) -> Int { Int(truncatingIfNeeded: (x &- 1) >> 31) }

    /// Bit k: byte `wordBase + k` of the `n` ≥ 16 bytes at `base` is a backslash (none past
    /// the end). Four 16-byte compares, the last blocks moved back inside the text and their
    /// lanes before `wordBase + 16 j` shifted out, with no branch.
    @inline(__always)
    static func backslashWord(_ base: UnsafeRawPointer, _ wordBase: Int, _ n: Int) -> UInt64 {
        var bits: UInt64 = 0
        for k in 0..<4 {
            let offset = wordBase &+ 16 &* k
            let at = Swift.min(offset, n &- 16)
            // 16 or more (a block wholly past the end) leaves no lane.
            let seen = UInt32(truncatingIfNeeded: Swift.min(offset &- at, 31))
            bits |= UInt64(backslashes(base + at) &>> seen) &<< UInt64(16 &* k)
        }
        return bits
    }

    /// The longest escaped text `measureEscaped` takes in one pass (its bits on the stack).
    static var escapedPassLimit: Int { 1024 }

    /// `measure(escaped:)` of the `n` bytes at `base`, 16 ≤ `n` ≤ `escapedPassLimit`: the vector
    /// pass (`contentMeasure`'s, without its sums every 253 blocks) also stores each block's
    /// backslash bits, which the escape walk then reads 64 at a time, instead of comparing
    /// every block a second time.
    static func measureEscaped(_ base: UnsafeRawPointer, _ n: Int) -> Figures {
        // 64 blocks of 16 bits, and room for the last block's 64-bit store.
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 17) { buffer in
            let masks = UnsafeMutableRawPointer(buffer.baseAddress!)
            var lanes = ContentLanes()
            let first = base.loadUnaligned(as: Vector.self)
            lanes.first(first)
            masks.storeBytes(of: UInt16(truncatingIfNeeded: backslashes(first)), as: UInt16.self)
            var offset = 16
            let last = n &- 16
            while offset < last {
                let v = base.loadUnaligned(fromByteOffset: offset, as: Vector.self)
                lanes.block(v, before: base.loadUnaligned(fromByteOffset: offset &- 1, as: Vector.self))
                let bits = UInt16(truncatingIfNeeded: backslashes(v))
                masks.storeBytes(of: bits, toByteOffset: offset &>> 3, as: UInt16.self)
                offset &+= 16
            }
            // The last 16 bytes, the first `seen` lanes counted already; their bits shifted out,
            // and the bits of the blocks after them in its word cleared by the one store (none
            // left when the text is one block: its bits stored above stand).
            let seen = offset &- last
            lanes.last(base, last: last, seen: seen)
            let v = base.loadUnaligned(fromByteOffset: last, as: Vector.self)
            masks.storeBytes(
                of: UInt64(backslashes(v) &>> UInt32(truncatingIfNeeded: seen)), toByteOffset: offset &>> 3,
                as: UInt64.self)
            var words = 0
            var continuation = 0
            lanes.sum(words: &words, continuation: &continuation)
            let measured = Figures(words: words, characters: n &- continuation, hasAngleBracket: lanes.hasAngle)
            return corrected(measured, base, n) { masks.loadUnaligned(fromByteOffset: $0 &>> 3, as: UInt64.self) }
        }
    }

    /// Bit k: lane k of `v` is a backslash.
    @inline(__always)
    static func backslashes(_ v: Vector) -> UInt32 {
        soc_high_bits16(unsafeBitCast(v .== Vector(repeating: 0x5C), to: Vector.self))
    }
}
