/// The one word and character measure of UTF-8 text (soc-filter's bounds, soc-stats' figures,
/// the schemas' string lengths): a *word* is a maximal run of bytes that are not ASCII white
/// space (like `wc -w`); a *character* is a Unicode code point. Also says whether a `<` occurs.
///
/// One pass of 16 (SIMD) or 8 (SWAR) bytes at a time, because this loop touches every byte of
/// every message and sets soc-stats' speed; the tests check it against the byte-by-byte
/// definition on random text.
public enum TextMeasure {
    /// The figures of one message.
    public struct Figures: Equatable, Sendable {
        public var words: Int
        public var characters: Int
        /// True when the message holds a `<` (and may hold tags).
        public var hasAngleBracket: Bool
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080
    private static let spaces: UInt64 = 0x2020_2020_2020_2020

    /// The running state over 8-byte blocks. Counts are kept in byte lanes (flushed before a lane
    /// can pass 255): the package builds for baseline x86-64, which has no popcount instruction.
    struct Scan {
        var words = 0
        var continuation = 0
        var angle: UInt64 = 0
        /// Bit 7 of byte 0: the byte before the current block was blank (the start counts as blank).
        var previousBlank: UInt64 = 0x80
        var continuationLanes: UInt64 = 0
        var startLanes: UInt64 = 0

        mutating func block(_ x: UInt64) {
            continuationLanes &+= (x & ~(x << 1) & highs) >> 7
            let low7 = x & ~highs
            let ascii = ~x & highs
            let y = x ^ (0x3C &* ones)
            angle |= (y &- ones) & ~y & highs
            // Bytes below 0x20 (only after unescaping: \n, \t, ...) take the exact byte-wise path.
            let control = ~(low7 &+ 0x60 &* ones) & ascii
            if control != 0 {
                for k in 0..<8 {
                    let byte = UInt8(truncatingIfNeeded: x >> UInt64(8 * k))
                    let blank = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
                    if !blank && previousBlank != 0 { words += 1 }
                    previousBlank = blank ? 0x80 : 0
                }
            } else {
                let blank = ~(low7 &+ 0x5F &* ones) & ascii
                startLanes &+= (~blank & highs & ((blank << 8) | previousBlank)) >> 7
                previousBlank = (blank >> 56) & 0x80
            }
        }

        mutating func flush() {
            continuation &+= TextMeasure.laneSum(continuationLanes)
            words &+= TextMeasure.laneSum(startLanes)
            continuationLanes = 0
            startLanes = 0
        }
    }

    /// The sum of the eight byte lanes of `lanes`.
    static func laneSum(_ lanes: UInt64) -> Int {
        let pairs = (lanes & 0x00FF_00FF_00FF_00FF) &+ ((lanes >> 8) & 0x00FF_00FF_00FF_00FF)
        return Int(truncatingIfNeeded: (pairs &* 0x0001_0001_0001_0001) >> 48)
    }

    /// Measures valid UTF-8 text (a string's unescaped content).
    public static func measure(_ bytes: UnsafeRawBufferPointer) -> Figures {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else {
            return Figures(words: 0, characters: 0, hasAngleBracket: false)
        }
        if count >= 16 { return vectorMeasure(base, count) }
        var scan = Scan()
        var offset = 0
        if count >= 8 {
            scan.block(UInt64(littleEndian: base.loadUnaligned(as: UInt64.self)))
            offset = 8
        }
        let tail = count - offset
        if tail > 0 {
            if count >= 8 {
                // The last 8 bytes, without those already seen, padded with spaces (which count nothing).
                let last = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self))
                scan.block((last >> UInt64(8 * (8 - tail))) | (spaces << UInt64(8 * tail)))
            } else {
                var x = spaces
                for k in 0..<tail {
                    x =
                        (x & ~(0xFF << UInt64(8 * k))) | UInt64(base.load(fromByteOffset: k, as: UInt8.self))
                        << UInt64(8 * k)
                }
                scan.block(x)
            }
        }
        scan.flush()
        return Figures(words: scan.words, characters: count - scan.continuation, hasAngleBracket: scan.angle != 0)
    }

    private typealias Vector = SIMD16<UInt8>

    /// Measures 16 or more bytes with SSE2 vectors (Swift SIMD): whole 16-byte blocks, then the
    /// last 16 bytes with the lanes already counted masked off. Counts are kept in byte lanes,
    /// summed every 255 blocks and at the end (by `laneSum`, no generic reduction call).
    static func vectorMeasure(_ base: UnsafeRawPointer, _ count: Int) -> Figures {
        var continuationLanes = Vector()
        var startLanes = Vector()
        var angles = Vector()
        var words = 0
        var continuation = 0
        var blocks = 0
        let first = base.loadUnaligned(as: Vector.self)
        // The byte before the first is taken as blank.
        var previous = Vector(repeating: 0x20)
        for k in 1..<16 { previous[k] = first[k - 1] }
        let all = Vector(repeating: 0xFF)
        block(first, previous, valid: all, &continuationLanes, &startLanes, &angles)
        var offset = 16
        blocks = 1
        // Two blocks a turn (the loop's own counting and bounds checks cost as much as a block);
        // lanes are summed before they can pass 255.
        while offset &+ 32 <= count {
            block(
                base.loadUnaligned(fromByteOffset: offset, as: Vector.self),
                base.loadUnaligned(fromByteOffset: offset &- 1, as: Vector.self), valid: all, &continuationLanes,
                &startLanes, &angles)
            block(
                base.loadUnaligned(fromByteOffset: offset &+ 16, as: Vector.self),
                base.loadUnaligned(fromByteOffset: offset &+ 15, as: Vector.self), valid: all, &continuationLanes,
                &startLanes, &angles)
            offset &+= 32
            blocks &+= 2
            if blocks >= 253 {
                continuation &+= laneSum(continuationLanes)
                words &+= laneSum(startLanes)
                continuationLanes = Vector()
                startLanes = Vector()
                blocks = 0
            }
        }
        if offset &+ 16 <= count {
            block(
                base.loadUnaligned(fromByteOffset: offset, as: Vector.self),
                base.loadUnaligned(fromByteOffset: offset &- 1, as: Vector.self), valid: all, &continuationLanes,
                &startLanes, &angles)
            offset &+= 16
        }
        if offset < count {
            let start = count - 16
            let seen = Vector(repeating: UInt8(truncatingIfNeeded: offset - start))
            let lanes = Vector(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
            let valid = unsafeBitCast(lanes .>= seen, to: Vector.self)
            block(
                base.loadUnaligned(fromByteOffset: start, as: Vector.self),
                base.loadUnaligned(fromByteOffset: start - 1, as: Vector.self), valid: valid, &continuationLanes,
                &startLanes, &angles)
        }
        continuation += laneSum(continuationLanes)
        words += laneSum(startLanes)
        let angleHalves = unsafeBitCast(angles, to: SIMD2<UInt64>.self)
        return Figures(
            words: words, characters: count - continuation, hasAngleBracket: angleHalves[0] | angleHalves[1] != 0)
    }

    /// Counts one 16-byte block `v` (`previous`: the bytes one before) in the lanes `valid` is set in.
    @inline(__always)
    private static func block(
        _ v: Vector, _ previous: Vector, valid: Vector, _ continuationLanes: inout Vector,
        _ startLanes: inout Vector, _ angles: inout Vector
    ) {
        let space = Vector(repeating: 0x20)
        let nine = Vector(repeating: 0x09)
        let five = Vector(repeating: 5)
        let blank = (v .== space) .| ((v &- nine) .< five)
        let previousBlank = (previous .== space) .| ((previous &- nine) .< five)
        let starts = unsafeBitCast(.!blank .& previousBlank, to: Vector.self)
        let continues = unsafeBitCast((v & Vector(repeating: 0xC0)) .== Vector(repeating: 0x80), to: Vector.self)
        // A true lane is all ones (-1): subtracting it adds one.
        continuationLanes &-= continues & valid
        startLanes &-= starts & valid
        angles |= unsafeBitCast(v .== Vector(repeating: 0x3C), to: Vector.self)
    }

    /// The sum of the sixteen byte lanes of `lanes`, by shifts and adds in both halves at once
    /// (the scalar `laneSum`'s multiply has no SSE2 instruction: it took three multiplies and
    /// their shifts per half, ~20 instructions a call, paid by every message).
    @inline(__always)
    private static func laneSum(_ lanes: Vector) -> Int {
        let halves = unsafeBitCast(lanes, to: SIMD2<UInt64>.self)
        let bytes = SIMD2<UInt64>(repeating: 0x00FF_00FF_00FF_00FF)
        // 16-bit sums of byte pairs (<= 510), then of four pairs in the low 16 bits (<= 2040).
        var sums = (halves & bytes) &+ ((halves &>> 8) & bytes)
        sums &+= sums &>> 16
        sums &+= sums &>> 32
        return Int(truncatingIfNeeded: (sums[0] &+ sums[1]) & 0xFFFF)
    }

    /// Unicode scalars (code points) in valid UTF-8.
    public static func characters(_ bytes: UnsafeRawBufferPointer) -> Int {
        measure(bytes).characters
    }
}
