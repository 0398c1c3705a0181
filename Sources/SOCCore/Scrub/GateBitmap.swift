import CSystem

/// Where up to four gate bytes lie in a span of a record's bytes, one bit per byte, found in
/// one pass over the span: what `markCandidates` tests each message's bytes against (a few
/// reads, no branch, whatever the message's length) instead of searching each gate byte with
/// `memchr` from message to message.
///
/// Hand-written hot path: those searches were ~490k `memchr` calls on
/// bench/data/soc_realistic.jsonl (renewed at every part's keys and after each candidate),
/// ~2 mispredicted branches each in `memchr`'s prologue and epilogue, plus the branches that
/// decided when to renew them. The pass here has no branch per byte or per hit; for one or
/// two gate bytes (the default rules') it runs with AVX2 where the machine has it
/// (`soc_gate_blocks_avx2`: 22M instructions over the bench file, against ~54M for the same
/// pass in Swift SIMD, which the target's SSE2 limits to 16 bytes a compare).
struct GateBitmap {
    /// Pairs of words: for each 64 bytes of the span (from `origin`), the bits (bit k: the byte
    /// at `64 * w + k` is a gate byte) and the index of the last block before it with a bit set
    /// (-1: none). The first pair stands for block -1 (its bit 63 set: a hit at offset -1);
    /// two pairs of zero words follow the span's, so a window may start up to 128 bytes past
    /// its end.
    private var entries: [UInt64] = Array(repeating: 0, count: 8)
    /// The document offset of bit 0 of block 0.
    private(set) var origin = 0
    /// Whether the pass over two gate bytes runs with AVX2 (asked once per bitmap; tests turn
    /// it off to check the SSE2 pass).
    var avx2 = Self.hasAVX2()

    /// Whether this machine runs `soc_gate_blocks_avx2`.
    static func hasAVX2() -> Bool {
        #if arch(x86_64)
            return soc_has_avx2() != 0
        #else
            return false
        #endif
    }

    /// Marks the gate bytes (`bytes`, the first `count` of them, 1 to 4) of `span` of the
    /// bytes at `base`, forgetting the span before. Reads no byte outside `span` but the 64
    /// bytes before its end when it is shorter than that (`span.upperBound` is at least 64,
    /// or it is read byte by byte).
    mutating func build(_ base: UnsafeRawPointer, _ span: Range<Int>, bytes: (UInt8, UInt8, UInt8, UInt8), count: Int) {
        typealias V = SIMD16<UInt8>
        origin = span.lowerBound
        let n = span.count
        let full = n >> 6
        let needed = 2 * (full + 4)
        if entries.count < needed { entries.append(contentsOf: repeatElement(0, count: needed - entries.count)) }
        // Slots past `count` compare with the first byte again (a repeat finds nothing new).
        let x0 = V(repeating: bytes.0)
        let x1 = V(repeating: count > 1 ? bytes.1 : bytes.0)
        let x2 = V(repeating: count > 2 ? bytes.2 : bytes.0)
        let x3 = V(repeating: count > 3 ? bytes.3 : bytes.0)
        entries.withUnsafeMutableBufferPointer { entries in
            let out = entries.baseAddress! + 2
            out[-2] = 1 << 63
            out[-1] = UInt64(bitPattern: -1)
            let start = base + origin
            // The block index before each block's, kept without a branch.
            var last = -1
            if count > 2 {
                for w in 0..<full {
                    let bits = Self.block(start + 64 * w, x0, x1, x2, x3)
                    out[2 * w] = bits
                    out[2 * w + 1] = UInt64(bitPattern: Int64(last))
                    last = bits != 0 ? w : last
                }
            } else if avx2 {
                #if arch(x86_64)
                    last = Int(
                        soc_gate_blocks_avx2(
                            start.assumingMemoryBound(to: UInt8.self), Int64(full), bytes.0,
                            count > 1 ? bytes.1 : bytes.0,
                            out, Int64(last)))
                #endif
            } else {
                for w in 0..<full {
                    let bits = Self.block(start + 64 * w, x0, x1)
                    out[2 * w] = bits
                    out[2 * w + 1] = UInt64(bitPattern: Int64(last))
                    last = bits != 0 ? w : last
                }
            }
            let rest = n & 63
            var bits: UInt64 = 0
            if rest > 0 {
                if span.upperBound >= 64 {
                    // The 64 bytes ending with the span's, moved down to the bytes not yet marked.
                    let p = base + span.upperBound - 64
                    let block = count > 2 ? Self.block(p, x0, x1, x2, x3) : Self.block(p, x0, x1)
                    bits = block >> UInt64(64 - rest)
                } else {
                    for i in 0..<rest {
                        let byte = V(repeating: start.load(fromByteOffset: 64 * full + i, as: UInt8.self))
                        if any((byte .== x0) .| (byte .== x1) .| (byte .== x2) .| (byte .== x3)) {
                            bits |= 1 << UInt64(i)
                        }
                    }
                }
            }
            out[2 * full] = bits
            out[2 * full + 1] = UInt64(bitPattern: Int64(last))
            for w in (full + 1)...(full + 2) {
                out[2 * w] = 0
                out[2 * w + 1] = 0
            }
        }
    }

    /// Bit k: byte `p + k` is one of `x0`'s or `x1`'s.
    @inline(__always)
    private static func block(_ p: UnsafeRawPointer, _ x0: SIMD16<UInt8>, _ x1: SIMD16<UInt8>) -> UInt64 {
        typealias V = SIMD16<UInt8>
        @inline(__always) func chunk(_ k: Int) -> UInt64 {
            let v = (p + 16 * k).loadUnaligned(as: V.self)
            return UInt64(soc_high_bits16(unsafeBitCast((v .== x0) .| (v .== x1), to: V.self)))
        }
        return chunk(0) | chunk(1) << 16 | chunk(2) << 32 | chunk(3) << 48
    }

    /// Bit k: byte `p + k` is one of `x0`'s...`x3`'s.
    @inline(__always)
    private static func block(
        _ p: UnsafeRawPointer, _ x0: SIMD16<UInt8>, _ x1: SIMD16<UInt8>, _ x2: SIMD16<UInt8>, _ x3: SIMD16<UInt8>
    ) -> UInt64 {
        typealias V = SIMD16<UInt8>
        @inline(__always) func chunk(_ k: Int) -> UInt64 {
            let v = (p + 16 * k).loadUnaligned(as: V.self)
            let hits = (v .== x0) .| (v .== x1) .| (v .== x2) .| (v .== x3)
            return UInt64(soc_high_bits16(unsafeBitCast(hits, to: V.self)))
        }
        return chunk(0) | chunk(1) << 16 | chunk(2) << 32 | chunk(3) << 48
    }

    /// Calls `body` with the bits of the span last built (valid only inside it).
    func withBits<R>(_ body: (Bits) -> R) -> R {
        entries.withUnsafeBufferPointer { body(Bits(blocks: $0.baseAddress! + 2, origin: origin)) }
    }

    /// The bits of a built bitmap, read without bounds or uniqueness checks.
    struct Bits {
        /// Block 0's pair (block -1's just before it).
        let blocks: UnsafePointer<UInt64>
        let origin: Int

        /// Whether a byte at a document offset from `start` up to `stop` (inside the span) is a
        /// gate byte: the last one at or before `stop - 1` is at `start` or after. No branch:
        /// two or three dependent reads whatever the length (a test per 64 bytes would
        /// mispredict on the length). Wrapping arithmetic: the offsets lie in the span.
        @inline(__always)
        func any(from start: Int, to stop: Int) -> Bool {
            let x = stop &- 1 &- origin
            let w = x &>> 6
            let here = blocks[2 &* w] & (UInt64.max &>> UInt64(truncatingIfNeeded: 63 &- (x & 63)))
            let before = Int(Int64(bitPattern: blocks[2 &* w &+ 1]))
            let earlier = 64 &* before &+ 63 &- blocks[2 &* before].leadingZeroBitCount
            let last = here != 0 ? 64 &* w &+ 63 &- here.leadingZeroBitCount : earlier
            return last >= start &- origin
        }

        /// Bit k: the byte at document offset `offset + k` is a gate byte, for k below `count`
        /// (0 to 64; higher bits are zero). `offset` lies in the span or at most 128 bytes
        /// past its end.
        @inline(__always)
        func window(at offset: Int, count: Int) -> UInt64 {
            let o = offset - origin
            let w = o >> 6
            let shift = UInt64(o & 63)
            // The next block's bits moved down by `64 - shift` in two steps (a shift by 64 is none).
            let bits = blocks[2 * w] &>> shift | (blocks[2 * w + 2] &<< 1) &<< (63 - shift)
            return bits & Self.lowMask(count)
        }

        /// The low `count` bits set (0...64), without a branch.
        @inline(__always)
        static func lowMask(_ count: Int) -> UInt64 {
            let half = UInt64(count >> 1)
            return ~((UInt64.max &<< half) &<< (UInt64(count) &- half))
        }
    }
}
