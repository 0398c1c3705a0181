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
        var scan = Scan()
        var offset = 0
        if count >= 16 {
            offset = vectorPrefix(base, count, &scan)
        }
        while offset + 8 <= count {
            scan.block(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            offset += 8
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

    /// Unicode scalars (code points) in valid UTF-8.
    public static func characters(_ bytes: UnsafeRawBufferPointer) -> Int {
        measure(bytes).characters
    }

    /// Scans whole 16-byte blocks with SSE2 vectors (Swift SIMD); returns where it stopped and
    /// leaves `scan` ready to go on (its counts and whether the last byte was blank).
    static func vectorPrefix(_ base: UnsafeRawPointer, _ count: Int, _ scan: inout Scan) -> Int {
        typealias V = SIMD16<UInt8>
        let space = V(repeating: 0x20)
        let nine = V(repeating: 0x09)
        let five = V(repeating: 5)
        let top2 = V(repeating: 0xC0)
        let cont = V(repeating: 0x80)
        let angle = V(repeating: 0x3C)
        var continuationLanes = SIMD16<UInt8>()
        var startLanes = SIMD16<UInt8>()
        var angles = SIMDMask<SIMD16<Int8>>()
        var offset = 0
        var blocks = 0
        // The byte before the first is taken as blank.
        var first = base.loadUnaligned(as: V.self)
        var previous = V(repeating: 0x20)
        for k in 1..<16 { previous[k] = first[k - 1] }
        while offset + 16 <= count {
            let v = offset == 0 ? first : base.loadUnaligned(fromByteOffset: offset, as: V.self)
            if offset > 0 { previous = base.loadUnaligned(fromByteOffset: offset - 1, as: V.self) }
            let blank = (v .== space) .| ((v &- nine) .< five)
            let previousBlank = (previous .== space) .| ((previous &- nine) .< five)
            let starts = .!blank .& previousBlank
            let continuation = (v & top2) .== cont
            // A true lane is all ones (-1): subtracting it adds one.
            continuationLanes &-= unsafeBitCast(continuation, to: V.self)
            startLanes &-= unsafeBitCast(starts, to: V.self)
            angles .|= v .== angle
            offset += 16
            blocks += 1
            if blocks == 255 {
                scan.continuation += Int(SIMD16<UInt16>(truncatingIfNeeded: continuationLanes).wrappedSum())
                scan.words += Int(SIMD16<UInt16>(truncatingIfNeeded: startLanes).wrappedSum())
                continuationLanes = V()
                startLanes = V()
                blocks = 0
            }
        }
        first = V()
        scan.continuation += Int(SIMD16<UInt16>(truncatingIfNeeded: continuationLanes).wrappedSum())
        scan.words += Int(SIMD16<UInt16>(truncatingIfNeeded: startLanes).wrappedSum())
        if any(angles) { scan.angle = 1 }
        let lastByte = base.load(fromByteOffset: offset - 1, as: UInt8.self)
        scan.previousBlank = lastByte == 0x20 || (lastByte >= 0x09 && lastByte <= 0x0D) ? 0x80 : 0
        return offset
    }
}
