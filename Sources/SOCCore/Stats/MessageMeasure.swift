/// Words, characters and whether a `<` occurs, for one message, in one pass of 8 bytes at a time.
///
/// The same definitions as `TextMeasure` (words are runs of non-blank bytes, like `wc -w`;
/// characters are Unicode code points), computed with 64-bit SWAR arithmetic because this loop
/// touches every byte of every message and sets soc-stats' speed.
public enum MessageMeasure {
    /// The figures of one message.
    public struct Figures: Equatable, Sendable {
        public var words: Int
        public var characters: Int
        /// True when the message holds a `<` (and may hold tags).
        public var hasAngleBracket: Bool
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The sum of the eight byte lanes of `lanes`.
    @inline(__always)
    static func laneSum(_ lanes: UInt64) -> Int {
        let pairs = (lanes & 0x00FF_00FF_00FF_00FF) &+ ((lanes >> 8) & 0x00FF_00FF_00FF_00FF)
        return Int(truncatingIfNeeded: (pairs &* 0x0001_0001_0001_0001) >> 48)
    }

    /// Measures valid UTF-8 text (a string's unescaped content).
    @inline(__always)
    public static func measure(_ bytes: UnsafeRawBufferPointer) -> Figures {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return Figures(words: 0, characters: 0, hasAngleBracket: false) }
        var words = 0
        var continuation = 0
        var angle: UInt64 = 0
        // Bit 7 of byte 0: the byte before the current block was blank (the start counts as blank).
        var previousBlank: UInt64 = 0x80
        var offset = 0
        // Per-byte lane counters (flushed before a lane can pass 255): no popcount instruction
        // is assumed, since the package builds for baseline x86-64.
        var continuationLanes: UInt64 = 0
        var startLanes: UInt64 = 0
        var blocks = 0
        while offset + 8 <= count {
            let x = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            continuationLanes &+= (x & ~(x << 1) & highs) >> 7
            blocks += 1
            if blocks == 255 {
                continuation += laneSum(continuationLanes)
                words += laneSum(startLanes)
                continuationLanes = 0
                startLanes = 0
                blocks = 0
            }
            let low7 = x & ~highs
            let ascii = ~x & highs
            // Bytes below 0x20 (only after unescaping: \n, \t, ...) take the exact byte-wise path.
            let control = ~((low7 &+ 0x60 &* ones)) & ascii
            if control != 0 {
                for k in 0..<8 {
                    let byte = UInt8(truncatingIfNeeded: x >> UInt64(8 * k))
                    let blank = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
                    if !blank && previousBlank != 0 { words += 1 }
                    previousBlank = blank ? 0x80 : 0
                    if byte == 0x3C { angle = 1 }
                }
                offset += 8
                continue
            }
            let blank = ~((low7 &+ 0x5F &* ones)) & ascii
            let starts = ~blank & highs & ((blank << 8) | previousBlank)
            startLanes &+= starts >> 7
            previousBlank = (blank >> 56) & 0x80
            let y = x ^ (0x3C &* ones)
            angle |= (y &- ones) & ~y & highs
            offset += 8
        }
        continuation += laneSum(continuationLanes)
        words += laneSum(startLanes)
        while offset < count {
            let byte = base.load(fromByteOffset: offset, as: UInt8.self)
            if byte & 0xC0 == 0x80 { continuation += 1 }
            let blank = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
            if !blank && previousBlank != 0 { words += 1 }
            previousBlank = blank ? 0x80 : 0
            if byte == 0x3C { angle = 1 }
            offset += 1
        }
        return Figures(words: words, characters: count - continuation, hasAngleBracket: angle != 0)
    }
}
