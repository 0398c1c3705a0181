/// `LSHIndex.bandHash`: `XXH3_64bits_withSeed` of a band's values, seeded with the band number,
/// low 32 bits. The 17-128-byte case (3 to 16 rows, 9 at the default threshold) is written out
/// here with each band's seeded secret words made once (`secrets`), where the generic
/// `XXH3_64bits_withSeed` tests the length against 16, 128 and 240 and adds or subtracts the
/// seed to each secret word it reads (12 per 72-byte band).
///
/// The written-out case is xxHash 0.8's `XXH3_len_17to128_64b` with the default secret,
/// step for step; `BandHashTests` checks it against `XXH3_64bits_withSeed` at every length and
/// band.
enum BandHash {
    /// The bands whose seeded secret words are made once; others take the generic hash.
    static let tableBands = 128

    /// Band `b`'s 16 secret words of the 17-128-byte case at `secrets[16 * b ..< 16 * b + 16]`:
    /// the default secret's first 128 bytes, each even word plus the seed `b`, each odd word
    /// minus it (`XXH3_mix16B`). Written once, when first read, and never after: safe to share
    /// between threads (a pointer: no reference count for the threads to write).
    nonisolated(unsafe) static let secrets: UnsafePointer<UInt64> = {
        let k = ShingleHash.constants
        let memory = UnsafeMutablePointer<UInt64>.allocate(capacity: tableBands * 16)
        for band in 0..<tableBands {
            let seed = UInt64(band)
            for word in 0..<16 {
                memory[band * 16 + word] = word % 2 == 0 ? k[1 + word] &+ seed : k[1 + word] &- seed
            }
        }
        return UnsafePointer(memory)
    }()

    /// `XXH3_64bits_withSeed(p, count, band)`'s low 32 bits.
    static func hash(_ p: UnsafeRawPointer, _ count: Int, band: Int) -> UInt32 {
        guard band < tableBands, UInt(bitPattern: count &- 17) < 112 else {
            return UInt32(truncatingIfNeeded: XXH3.hash64(p, count, seed: UInt64(truncatingIfNeeded: band)))
        }
        return midsize(p, count, secrets + band &* 16, ShingleHash.constants)
    }

    /// `hash` of each of the `bands` bands of `rows` values at `signature` (band `b` at
    /// `signature + b * rows`, seed `b`), into `hashes`: the length and the table tested, and the
    /// constants read, once for all the bands.
    @inline(__always)
    static func hashBands(
        _ signature: UnsafePointer<UInt64>, bands: Int, rows: Int, into hashes: UnsafeMutablePointer<UInt32>
    ) {
        let count = rows &* 8
        guard bands <= tableBands, UInt(bitPattern: count &- 17) < 112 else {
            for band in 0..<bands { hashes[band] = hash(signature + band &* rows, count, band: band) }
            return
        }
        let secrets = Self.secrets
        let k = ShingleHash.constants
        for band in 0..<bands { hashes[band] = midsize(signature + band &* rows, count, secrets + band &* 16, k) }
    }

    /// `XXH3_len_17to128_64b` of `count` (17...128) bytes at `p` with the seeded secret words
    /// `s` (16 of them), low 32 bits; `k` is `ShingleHash.constants`.
    @inline(__always)
    private static func midsize(
        _ p: UnsafeRawPointer, _ count: Int, _ s: UnsafePointer<UInt64>, _ k: UnsafePointer<UInt64>
    ) -> UInt32 {
        var acc = UInt64(truncatingIfNeeded: count) &* k[0]
        if count > 32 {
            if count > 64 {
                if count > 96 {
                    acc &+= ShingleHash.mix16(p + 48, s[12], s[13])
                    acc &+= ShingleHash.mix16(p + (count &- 64), s[14], s[15])
                }
                acc &+= ShingleHash.mix16(p + 32, s[8], s[9])
                acc &+= ShingleHash.mix16(p + (count &- 48), s[10], s[11])
            }
            acc &+= ShingleHash.mix16(p + 16, s[4], s[5])
            acc &+= ShingleHash.mix16(p + (count &- 32), s[6], s[7])
        }
        acc &+= ShingleHash.mix16(p, s[0], s[1])
        acc &+= ShingleHash.mix16(p + (count &- 16), s[2], s[3])
        return UInt32(truncatingIfNeeded: ShingleHash.avalanche(acc, k))
    }
}
