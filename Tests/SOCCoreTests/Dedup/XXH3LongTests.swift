import SOCTestSupport
import Testing

@testable import SOCCore

/// The exact-text hash's written-out long case (`XXH3.hash64Long`, the C shim's
/// `soc_xxh3_64bits_long_withSeed`) against xxHash's own `XXH3_64bits_withSeed`: the text hash
/// is in signature files (`soc-dedup sign`), so they must agree at every length and seed.
@Suite struct XXH3LongTests {
    @Test func agreesWithXXH3WithSeedAtEveryLength() {
        var numbers = SeededNumbers(state: 0x5EED_1013)
        var bytes = [UInt8](repeating: 0, count: 4200)
        let seeds: [UInt64] = [0, 1, Shingler.exactTextSeed, 0x8000_0000_0000_0000, UInt64.max]
        for round in 0..<6 {
            for k in bytes.indices { bytes[k] = UInt8(truncatingIfNeeded: numbers.next()) }
            if round == 0 { for k in bytes.indices { bytes[k] = 0 } }
            if round == 1 { for k in bytes.indices { bytes[k] = 0xFF } }
            // Every length up to three blocks of 1024 bytes and past, around each block and
            // stripe edge; some from an odd offset.
            var lengths = Array(0...1300)
            for edge in [2048, 3072, 4096] { lengths += Array(edge - 70...edge + 70) }
            bytes.withUnsafeBytes { raw in
                for length in lengths {
                    for seed in seeds {
                        let offset = length % 3 == 0 ? 5 : 0
                        let start = raw.baseAddress! + offset
                        let expected = XXH3.hash64(start, length, seed: seed)
                        #expect(
                            XXH3.hash64Long(start, length, seed: seed) == expected, "length \(length), seed \(seed)")
                        #expect(XXH3.hash64Long(start, length, seed: seed, avx2: false) == expected)
                        if XXH3.hasAVX2 { #expect(XXH3.hash64Long(start, length, seed: seed, avx2: true) == expected) }
                    }
                }
            }
        }
    }
}
