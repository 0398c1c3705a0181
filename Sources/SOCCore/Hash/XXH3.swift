import CXXHash

/// The XXH3 hashes soc-dedup and soc-stats use, wrapped once (the only file that imports
/// CXXHash): the shim compiles xxHash inline (`XXH_INLINE_ALL`), which renames its functions
/// with an `XXH_INLINE_` prefix.
enum XXH3 {
    /// `XXH3_64bits` of `count` bytes at `start`.
    static func hash64(_ start: UnsafeRawPointer, _ count: Int) -> UInt64 {
        XXH_INLINE_XXH3_64bits(start, count)
    }

    /// `XXH3_64bits` of `bytes` (which may be empty, with no base address).
    static func hash64(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        XXH_INLINE_XXH3_64bits(bytes.baseAddress, bytes.count)
    }

    /// `XXH3_64bits_withSeed`.
    static func hash64(_ start: UnsafeRawPointer, _ count: Int, seed: UInt64) -> UInt64 {
        XXH_INLINE_XXH3_64bits_withSeed(start, count, seed)
    }

    /// `XXH3_64bits_withSeed` of any length, the same value as `hash64(_:_:seed:)`, with the long
    /// case (over 240 bytes, seed not 0) taken by the written-out stripe loop
    /// (`soc_xxh3_64bits_long_withSeed`, AVX2 where `hasAVX2`): soc-dedup's exact-text hash of a
    /// record's normalized text.
    static func hash64Long(_ start: UnsafeRawPointer, _ count: Int, seed: UInt64) -> UInt64 {
        soc_xxh3_64bits_withSeed(start, count, seed, hasAVX2 ? 1 : 0)
    }

    /// `hash64Long` with its SSE2 form (`avx2` false) or its AVX2 form (tests; AVX2 only where
    /// `hasAVX2`).
    static func hash64Long(_ start: UnsafeRawPointer, _ count: Int, seed: UInt64, avx2: Bool) -> UInt64 {
        precondition(!avx2 || hasAVX2)
        return soc_xxh3_64bits_withSeed(start, count, seed, avx2 ? 1 : 0)
    }

    /// Whether this CPU runs AVX2 code (`hash64Long` then takes its AVX2 form: half the
    /// instructions a 64-byte stripe).
    static let hasAVX2: Bool = {
        #if arch(x86_64)
            return soc_cpu_has_avx2() != 0
        #else
            return false
        #endif
    }()

    /// `XXH3_128bits` as (high, low).
    static func hash128(_ bytes: UnsafeRawBufferPointer) -> Key128 {
        let hash = XXH_INLINE_XXH3_128bits(bytes.baseAddress, bytes.count)
        return Key128(high: hash.high64, low: hash.low64)
    }
}
