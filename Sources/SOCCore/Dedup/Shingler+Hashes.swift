import CSystem

/// The hashes a `Shingler` gives of its normalized text: each shingle's (the MinHash input) and
/// the whole text's (the exact-text key).
extension Shingler {
    /// Calls `body` with the hash of every shingle, in order (duplicates included); none when
    /// there are no tokens.
    ///
    /// Hand-written hot path. The token starts are found here, from the spaces of the normalized
    /// text (every token is followed by exactly one, and no lowercase mapping holds U+0020), 64
    /// bytes per mask: the tokenizer wrote each start as it found it, in a loop per 16-byte
    /// block whose exit was mispredicted about once a block (0.56M times on real20.jsonl). Each
    /// space ends token `m`; the shingle of tokens `m - ngram + 1 ... m` is hashed there.
    /// Wrapping arithmetic and no `Range` per shingle: their checks cost as much as the loop's
    /// own work.
    public func forEachShingleHash(_ body: (UInt64) -> Void) {
        let count = textCount
        guard count > 0 else { return }
        // Each token takes at least one byte and its space; starts[m] for m = 0 ... tokens.
        if count &>> 1 &+ 2 > startsCapacity { growStarts(count &>> 1 &+ 2) }
        // The last mask's load reads up to 63 bytes past the text: zeros, so no mask per load.
        reserve(text: 64)
        let bytes = self.text
        let text = UnsafeRawPointer(bytes)
        let tail = UnsafeMutableRawPointer(bytes + count)
        for offset in stride(from: 0, to: 64, by: 16) {
            tail.storeBytes(of: SIMD16<UInt8>(), toByteOffset: offset, as: SIMD16<UInt8>.self)
        }
        let starts = self.starts
        let k = ShingleHash.constants
        starts[0] = 0
        // The first `ngram - 1` tokens end no shingle: their ends are found apart, so that the
        // loop below hashes at every space (and keeps no count in a register), and the loop
        // below starts just after the last of them. From the masks too: byte by byte, the test
        // of each byte was mispredicted ~5 times a record (98K on the 100 MB bench file).
        var tokens = 0
        var chunk = 0
        while tokens &+ 1 < ngram && chunk < count {
            var spaces = Self.spaces(text + chunk)
            while spaces != 0 && tokens &+ 1 < ngram {
                tokens &+= 1
                starts[tokens] = Int32(truncatingIfNeeded: chunk &+ spaces.trailingZeroBitCount &+ 1)
                spaces &= spaces &- 1
            }
            // Past the chunk, or just after the last of those tokens' spaces.
            chunk = tokens &+ 1 < ngram ? chunk &+ 64 : Int(starts[tokens])
        }
        // Where the next token's start goes; `next[back]` is then the start of the shingle that
        // ends at the next space.
        var next = starts + (tokens &+ 1)
        let back = -ngram
        while chunk < count {
            var spaces = Self.spaces(text + chunk)
            // The next token's start, one past each space, from `chunk + 1` (one `add` where
            // the space's offset and an `lea` made it).
            let afterChunk = chunk &+ 1
            while spaces != 0 {
                let after = afterChunk &+ spaces.trailingZeroBitCount
                next.pointee = Int32(truncatingIfNeeded: after)
                let start = Int(next[back])
                next += 1
                body(ShingleHash.hash(text, from: start, before: after, k))
                // Last: the loop's test then reads the flags of this `and` (no `test`).
                spaces &= spaces &- 1
            }
            chunk &+= 64
        }
        // Fewer tokens than `ngram`: one shingle of them all.
        if next - starts <= ngram { body(ShingleHash.hash(text, count &- 1, k)) }
    }

    /// Bit k: byte k of the 64 at `p` is a space.
    @inline(__always)
    private static func spaces(_ p: UnsafeRawPointer) -> UInt64 {
        typealias V = SIMD16<UInt8>
        let space = V(repeating: 0x20)
        @inline(__always) func lanes(_ offset: Int) -> UInt64 {
            let bytes = p.loadUnaligned(fromByteOffset: offset, as: V.self)
            return UInt64(soc_high_bits16(unsafeBitCast(bytes .== space, to: V.self)))
        }
        return lanes(0) | lanes(16) &<< 16 | lanes(32) &<< 32 | lanes(48) &<< 48
    }

    /// `XXH3_64bits` of the normalized text with a fixed seed: the exact-text hash.
    public func normalizedTextHash() -> UInt64? {
        guard textCount > 0 else { return nil }
        return XXH3.hash64Long(text, textCount - 1, seed: Self.exactTextSeed)
    }

    static let exactTextSeed: UInt64 = 0x736F_632D_7465_7874  // "soc-text"
}
