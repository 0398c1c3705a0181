import CSystem

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

    typealias Vector = SIMD16<UInt8>

    /// Measures 16 or more bytes with SSE2 vectors (Swift SIMD and CSystem's lane shift and sum):
    /// whole 16-byte blocks up to the last, then the last 16 bytes with the lanes already counted
    /// masked off. Counts are kept in byte lanes, summed every 254 blocks and at the end.
    ///
    /// Hand-written hot path (every byte of every message, soc-stats' largest cost after the
    /// parse): a byte's blank lane is shifted in from the block before instead of reloading the
    /// block one byte back and classifying it again, the lanes are summed by one `psadbw` each,
    /// and the last block is always counted masked (one loop exit, no branch on the length's
    /// remainder).
    static func vectorMeasure(_ base: UnsafeRawPointer, _ count: Int) -> Figures {
        var lanes = VectorLanes()
        var words = 0
        var continuation = 0
        var offset = 0
        // Whole blocks before the last 16 bytes, at most 254 between sums (a lane holds 255).
        let last = count &- 16
        while true {
            let stop = Swift.min(last, offset &+ 254 &* 16)
            while offset < stop {
                lanes.block(base.loadUnaligned(fromByteOffset: offset, as: Vector.self))
                offset &+= 16
            }
            if offset >= last { break }
            lanes.sum(words: &words, continuation: &continuation)
        }
        // The last 16 bytes, the first `seen` lanes counted already (none when the length is a
        // multiple of 16: then lane 0's byte before is the last of the block before).
        let seen = Vector(repeating: UInt8(truncatingIfNeeded: offset &- last))
        let lane = Vector(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
        let valid = unsafeBitCast(lane .>= seen, to: Vector.self)
        lanes.block(base.loadUnaligned(fromByteOffset: last, as: Vector.self), valid: valid)
        lanes.sum(words: &words, continuation: &continuation)
        return Figures(words: words, characters: count &- continuation, hasAngleBracket: lanes.hasAngle)
    }

    /// The byte-lane counts of the vector pass.
    struct VectorLanes: LaneCounters {
        var startLanes = Vector()
        var continuationLanes = Vector()
        var angles = Vector()
        /// The blank lanes of the block before (all blank before the first: the start counts as blank).
        var blanks = Vector(repeating: 0xFF)

        /// Counts one whole block `v`, the one after the block counted before.
        @inline(__always)
        mutating func block(_ v: Vector) {
            let blank = Self.blank(v)
            let before = soc_shift_in16(blank, blanks)
            blanks = blank
            // A true lane is all ones (-1): subtracting it adds one.
            startLanes &-= before & ~blank
            continuationLanes &-= Self.continuation(v)
            angles |= unsafeBitCast(v .== Vector(repeating: 0x3C), to: Vector.self)
        }

        /// Counts the lanes of `v` that `valid` is set in, `v` being the block counted before
        /// moved on by fewer than 16 bytes (or the next block): a lane's byte before is then the
        /// lane before, or for lane 0 the last of the block before.
        @inline(__always)
        mutating func block(_ v: Vector, valid: Vector) {
            let blank = Self.blank(v)
            let before = soc_shift_in16(blank, blanks)
            startLanes &-= before & ~blank & valid
            continuationLanes &-= Self.continuation(v) & valid
            angles |= unsafeBitCast(v .== Vector(repeating: 0x3C), to: Vector.self)
        }

        /// All ones where the byte is blank (space, 0x09...0x0D): 0x09...0x0D plus 0x77 are the
        /// five lowest signed bytes, so one signed compare (`pcmpgtb`) finds them.
        @inline(__always)
        static func blank(_ v: Vector) -> Vector {
            let shifted = unsafeBitCast(v &+ Vector(repeating: 0x77), to: SIMD16<Int8>.self)
            return unsafeBitCast(
                (v .== Vector(repeating: 0x20)) .| (shifted .< SIMD16<Int8>(repeating: -123)), to: Vector.self)
        }

        /// All ones where the byte is a UTF-8 continuation byte (0x80...0xBF: signed, below -64).
        @inline(__always)
        static func continuation(_ v: Vector) -> Vector {
            unsafeBitCast(unsafeBitCast(v, to: SIMD16<Int8>.self) .< SIMD16<Int8>(repeating: -64), to: Vector.self)
        }
    }

    /// Unicode scalars (code points) in valid UTF-8.
    public static func characters(_ bytes: UnsafeRawBufferPointer) -> Int {
        measure(bytes).characters
    }
}

/// The byte-lane counters of a 16-byte measuring pass (`TextMeasure.VectorLanes` for any text,
/// `TextMeasure.ContentLanes` for a JSON string's content): word starts, UTF-8 continuation
/// bytes and `<` seen, each lane counting up to 255 between sums.
protocol LaneCounters {
    var startLanes: TextMeasure.Vector { get set }
    var continuationLanes: TextMeasure.Vector { get set }
    var angles: TextMeasure.Vector { get set }
}

extension LaneCounters {
    /// Adds the lanes' counts to `words` and `continuation` and clears them.
    @inline(__always)
    mutating func sum(words: inout Int, continuation: inout Int) {
        words &+= Int(soc_byte_sum16(startLanes))
        continuation &+= Int(soc_byte_sum16(continuationLanes))
        startLanes = TextMeasure.Vector()
        continuationLanes = TextMeasure.Vector()
    }

    /// True when a counted block held a `<`.
    var hasAngle: Bool {
        @inline(__always) get {
            let halves = unsafeBitCast(angles, to: SIMD2<UInt64>.self)
            return halves[0] | halves[1] != 0
        }
    }
}
