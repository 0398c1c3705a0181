import SOCTestSupport
import Testing

@testable import SOCCore

/// The band hash's written-out XXH3 against xxHash's own `XXH3_64bits_withSeed`: they must agree
/// at every length and band (band files written by `sign --bands` and by earlier versions are
/// compared by these hashes).
@Suite struct BandHashTests {
    @Test func agreesWithSeededXXH3AtEveryLengthAndBand() {
        var numbers = SeededNumbers(state: 0xBA4D)
        // Bytes before and after the hashed span, so that a read outside it would show.
        var bytes = [UInt8](repeating: 0, count: 300)
        for round in 0..<12 {
            for k in bytes.indices { bytes[k] = UInt8(truncatingIfNeeded: numbers.next()) }
            if round == 0 { for k in bytes.indices { bytes[k] = 0xFF } }
            bytes.withUnsafeBytes { raw in
                for band in [0, 1, 2, 13, 64, 127, 128, 129, 1000] {
                    for count in 0...260 {
                        let start = raw.baseAddress! + (round % 3)
                        let expected = UInt32(truncatingIfNeeded: XXH3.hash64(start, count, seed: UInt64(band)))
                        #expect(BandHash.hash(start, count, band: band) == expected, "\(count) \(band)")
                    }
                }
            }
        }
    }

    /// Through `LSHIndex.bandHash` and `LSHKeys`: every band of a signature, 3 to 16 rows.
    @Test func bandHashesOfASignatureAreSeededXXH3() {
        var numbers = SeededNumbers(state: 0x51_6A)
        let signature = (0..<256).map { _ in numbers.next() }
        for rows in [1, 2, 3, 9, 16, 17] {
            for band in 0..<(256 / rows) {
                let expected = signature.withUnsafeBytes { Self.generic($0, band: band, rows: rows) }
                #expect(LSHIndex.bandHash(signature, band: band, rows: rows) == expected, "\(rows) rows, band \(band)")
            }
            // All bands at once, within the table of seeded secrets and past it.
            for bands in [1, 256 / rows, 129] where bands * rows <= 1_100 {
                let long = (0..<(bands * rows)).map { _ in numbers.next() }
                let keys = LSHKeys(signature: long, parameters: LSHParameters(bands: bands, rows: rows))
                #expect(keys.bandHashes == (0..<bands).map { LSHIndex.bandHash(long, band: $0, rows: rows) })
                let generic = long.withUnsafeBytes { raw in
                    (0..<bands).map { Self.generic(raw, band: $0, rows: rows) }
                }
                #expect(keys.bandHashes == generic, "\(bands) bands of \(rows) rows")
            }
        }
    }

    /// xxHash's own `XXH3_64bits_withSeed` of band `band` of `rows` values, low 32 bits.
    static func generic(_ signature: UnsafeRawBufferPointer, band: Int, rows: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: XXH3.hash64(signature.baseAddress! + band * rows * 8, rows * 8, seed: UInt64(band)))
    }
}
