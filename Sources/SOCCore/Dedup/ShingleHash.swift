/// The hash of one shingle: `XXH3_64bits` of its bytes, the signature's definition (shared with
/// the Spark job), with the 17-128-byte case, which most 5-word shingles fall in, written out
/// here so that it is inlined into the shingle loop. Hand-written hot path: the generic
/// `XXH3_64bits` is an out-of-line call that first tests the length against 16, 128 and 240,
/// and its call clobbers the registers the loop keeps its pointers in.
///
/// The written-out case is xxHash 0.8's `XXH3_len_17to128_64b` with the default secret and seed
/// 0, step for step; `ShingleHashTests` checks it against `XXH3_64bits` at every length.
enum ShingleHash {
    /// The constants of the written-out case, read from memory: as immediates each took a
    /// 10-byte `movabs` besides its `xor` or `imul` (real20.jsonl: 404.2M instructions in all
    /// with immediates, 394.9M so). `[XXH_PRIME64_1, secret words 0...15, the avalanche
    /// multiplier, then at 18...33 `(n - 1) * XXH_PRIME64_1` for each `n`]` (the length terms
    /// of 17...32 bytes, looked up by the length plus one: `hash(_:from:before:_:)`).
    /// Written once, when first read, and never after: safe to share between threads.
    nonisolated(unsafe) static let constants: UnsafePointer<UInt64> = {
        var words: [UInt64] = [
            0x9E37_79B1_85EB_CA87,
            0xBE4B_A423_396C_FEB8, 0x1CAD_21F7_2C81_017C, 0xDB97_9083_E96D_D4DE, 0x1F67_B3B7_A4A4_4072,
            0x78E5_C0CC_4EE6_79CB, 0x2172_FFCC_7DD0_5A82, 0x8E24_43F7_7446_08B8, 0x4C26_3A81_E690_35E0,
            0xCB00_C391_BB52_283C, 0xA32E_531B_8B65_D088, 0x4EF9_0DA2_9748_6471, 0xD8AC_DEA9_46EF_1938,
            0x3F34_9CE3_3F76_FAA8, 0x1D4F_0BC7_C7BB_DCF9, 0x3159_B4CD_4BE0_518A, 0x6473_78D9_C97E_9FC8,
            0x1656_6791_9E37_79F9,
        ]
        for n in UInt64(18)...33 { words.append((n - 1) &* words[0]) }
        let memory = UnsafeMutablePointer<UInt64>.allocate(capacity: words.count)
        memory.initialize(from: words, count: words.count)
        return UnsafePointer(memory)
    }()

    /// `XXH3_64bits` of `count` bytes at `start`; `k` is `constants`.
    @inline(__always)
    static func hash(_ start: UnsafeRawPointer, _ count: Int, _ k: UnsafePointer<UInt64>) -> UInt64 {
        hash(start, from: 0, to: count, k)
    }

    /// `XXH3_64bits` of the bytes `text[start..<end]`; `k` is `constants`. The shingle loop's
    /// form: the common case's loads are addressed from `text` and `start` or `end`, so no
    /// pointer to the shingle is made for them (one instruction fewer per shingle, the `lea`:
    /// soc-dedup on the 100 MB bench file, 1672.6M -> 1664.6M instructions).
    ///
    /// 17...32 bytes (nine shingles in ten on real20.jsonl) are tested first and alone, as
    /// `midsize` without its longer cases: one comparison where the range test and `midsize`'s
    /// `count > 32` made two.
    @inline(__always)
    static func hash(_ text: UnsafeRawPointer, from start: Int, to end: Int, _ k: UnsafePointer<UInt64>) -> UInt64 {
        let count = end &- start
        // Unsigned: 17...32 (then 17...128) in one comparison.
        if UInt(bitPattern: count &- 17) < 16 {
            var acc = UInt64(truncatingIfNeeded: count) &* k[0]
            acc &+= mix16(text, start, k[1], k[2])
            acc &+= mix16(text, end &- 16, k[3], k[4])
            return avalanche(acc, k)
        }
        return UInt(bitPattern: count &- 17) < 112
            ? midsize(text + start, count, k) : XXH3.hash64(text + start, count)
    }

    /// `XXH3_64bits` of the bytes `text[start..<after - 1]`, a shingle that a space follows
    /// at `after - 1`; `k` is `constants`. The shingle loop's form: it keeps `after`, the next
    /// token's start, which it stores anyway, so the space's offset is made for neither (an
    /// `lea` per shingle); the length term of 17...32 bytes is looked up by `after - start`
    /// (`k[18...33]`) where `imul` took the length. The shingle loop's cost on the 100 MB bench
    /// file (`--threads 1`, callgrind) 160.2 -> 158.6.
    @inline(__always)
    static func hash(_ text: UnsafeRawPointer, from start: Int, before after: Int, _ k: UnsafePointer<UInt64>)
        -> UInt64
    {
        let span = after &- start
        let count = span &- 1
        var acc: UInt64
        if UInt(bitPattern: span &- 18) < 16 {
            acc = k[span]
        } else if UInt(bitPattern: count &- 17) < 112 {
            // `midsize` but for its first and last 16 bytes, which both cases mix alike below
            // (so that the compiler keeps one copy of that tail, as it did for `hash(_:from:to:_:)`).
            acc = UInt64(truncatingIfNeeded: count) &* k[0] &+ middle(text + start, count, k)
        } else {
            return XXH3.hash64(text + start, count)
        }
        acc &+= mix16(text, start, k[1], k[2])
        acc &+= mix16(text, after &- 17, k[3], k[4])
        return avalanche(acc, k)
    }

    /// `XXH3_64bits` of 17...128 bytes; `k` is `constants`.
    @inline(__always)
    static func midsize(_ p: UnsafeRawPointer, _ count: Int, _ k: UnsafePointer<UInt64>) -> UInt64 {
        var acc = UInt64(truncatingIfNeeded: count) &* k[0]
        if count > 32 { acc &+= middle(p, count, k) }
        acc &+= mix16(p, k[1], k[2])
        acc &+= mix16(p + (count &- 16), k[3], k[4])
        return avalanche(acc, k)
    }

    /// `XXH3_len_17to128_64b`'s rounds over bytes 16 to `count - 16` of `p`, for 33...128 bytes
    /// (the first and last 16 are the callers'); `k` is `constants`.
    @inline(__always)
    private static func middle(_ p: UnsafeRawPointer, _ count: Int, _ k: UnsafePointer<UInt64>) -> UInt64 {
        var acc: UInt64 = 0
        if count > 64 {
            if count > 96 {
                acc &+= mix16(p + 48, k[13], k[14])
                acc &+= mix16(p + (count &- 64), k[15], k[16])
            }
            acc &+= mix16(p + 32, k[9], k[10])
            acc &+= mix16(p + (count &- 48), k[11], k[12])
        }
        acc &+= mix16(p + 16, k[5], k[6])
        acc &+= mix16(p + (count &- 32), k[7], k[8])
        return acc
    }

    /// `XXH3_avalanche`.
    @inline(__always)
    static func avalanche(_ hash: UInt64, _ k: UnsafePointer<UInt64>) -> UInt64 {
        var acc = hash ^ hash &>> 37
        acc &*= k[17]
        return acc ^ (acc &>> 32)
    }

    /// `XXH3_mix16B`: the two words at `p`, each xored with its secret word (with seed 0, or
    /// with the seed already added to the low word and subtracted from the high: `BandHash`),
    /// multiplied to 128 bits and folded.
    @inline(__always)
    static func mix16(_ p: UnsafeRawPointer, _ secretLow: UInt64, _ secretHigh: UInt64) -> UInt64 {
        mix16(p, 0, secretLow, secretHigh)
    }

    /// `mix16(p + offset, ...)`.
    @inline(__always)
    private static func mix16(
        _ p: UnsafeRawPointer, _ offset: Int, _ secretLow: UInt64, _ secretHigh: UInt64
    ) -> UInt64 {
        let low = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) ^ secretLow
        let high = UInt64(littleEndian: p.loadUnaligned(fromByteOffset: offset &+ 8, as: UInt64.self)) ^ secretHigh
        let product = low.multipliedFullWidth(by: high)
        return product.high ^ product.low
    }
}
