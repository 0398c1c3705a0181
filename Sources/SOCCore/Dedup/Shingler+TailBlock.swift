/// The tokenizer's block step where its 32 bytes may not be loaded whole (`appendTokens`).
extension Shingler {
    /// The block step near the end of what may be read (the last 35 bytes of the document, or of
    /// a string that no quote follows): 16 lanes, the 16 bytes at `i` when the string has them,
    /// or its last 16 bytes loaded whole and the lanes already taken dropped, or a string
    /// shorter than a block copied, padded. Stores the lanes taken at `text + out` (advancing
    /// `out`, and `inWord` as `appendTokens` keeps it) and returns how many bytes of the input
    /// they were. Lane 0 is not a stop, so it takes at least one byte. (A message's last block
    /// came the second way: whether a block was its string's last was mispredicted once a
    /// string, 892K times on the 100 MB bench file.)
    ///
    /// The step drops the separators that follow a separator among the lanes it takes: the
    /// block is stored whole when it drops none, else piece by piece between the dropped bytes
    /// (each piece one 16-byte store; the bytes stored past a piece are overwritten by the next).
    /// The stores stay within 32 bytes from `out`, as `appendTokens`' own.
    @inline(__always)
    static func tailBlock(
        _ base: UnsafeRawPointer, at i: Int, count: Int, escaped: Bool, text: UnsafeMutablePointer<UInt8>,
        out: inout Int, inWord: inout UInt32
    ) -> Int {
        let block: TokenBlock
        // The lanes that end the block: its stops and the string's end, and lane 16.
        let ends: UInt32
        let limit = count &- i
        if limit >= 16 {
            block = TokenBlock(base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self), escaped: escaped)
            ends = (block.stops | 1 &<< 16) & ~1
        } else {
            if count >= 16 {
                block = TokenBlock(
                    base.loadUnaligned(fromByteOffset: count &- 16, as: SIMD16<UInt8>.self), escaped: escaped
                ).droppingFirst(16 &- limit)
            } else {
                block = TokenBlock(padded(base + i, limit), escaped: escaped)
            }
            ends = block.stops | UInt32(1) &<< UInt32(truncatingIfNeeded: limit) | 1 &<< 16
        }
        // Lanes 0..<end are taken: ASCII, no backslash. (Bit 16 bounds the block.)
        let end = ends.trailingZeroBitCount
        let taken = (UInt32(1) &<< UInt32(truncatingIfNeeded: end)) &- 1
        let shifted = block.words &<< 1
        let previous = shifted | inWord
        var drops = ~block.words & ~previous & taken
        if drops & ~1 == 0 {
            // Lane 0 alone dropped: the whole store one byte back (as `appendTokens`).
            let at = out &- Int(drops)
            UnsafeMutableRawPointer(text + at).storeBytes(of: block.mapped, as: SIMD16<UInt8>.self)
            out = at &+ end
        } else {
            // Pieces between dropped lanes; lane k goes to `out + k - dropped`.
            var dropped = 0
            var from = 0
            while true {
                let to = drops == 0 ? end : drops.trailingZeroBitCount
                let (low, high) = block.mapped(from: from)
                let target = UnsafeMutableRawPointer(text + (out &+ from &- dropped))
                target.storeBytes(of: low.littleEndian, as: UInt64.self)
                target.storeBytes(of: high.littleEndian, toByteOffset: 8, as: UInt64.self)
                if drops == 0 { break }
                dropped &+= 1
                from = to &+ 1
                drops &= drops &- 1
            }
            out &+= end &- dropped
        }
        inWord = shifted &>> UInt32(truncatingIfNeeded: end) & 1
        return end
    }

    /// `count` (< 16) bytes at `p`, zero-padded to a block. Out of line: its buffer on the
    /// stack made every call of `append` and `appendEscaped` set and check a stack guard
    /// (153K calls on real20.jsonl; 431 of them come here).
    @inline(never)
    private static func padded(_ p: UnsafeRawPointer, _ count: Int) -> SIMD16<UInt8> {
        var padded = SIMD16<UInt8>()
        withUnsafeMutableBytes(of: &padded) { $0.baseAddress!.copyMemory(from: p, byteCount: count) }
        return padded
    }
}
