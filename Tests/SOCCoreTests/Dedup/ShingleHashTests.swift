import SOCTestSupport
import Testing

@testable import SOCCore

/// The shingle loop's written-out XXH3 against xxHash's own `XXH3_64bits`: they must agree at
/// every length (the signature's values are shared with the Spark job).
@Suite struct ShingleHashTests {
    @Test func agreesWithXXH3AtEveryLength() {
        var numbers = SeededNumbers(state: 0x5EED_0006)
        // Bytes before and after the hashed span, so that a read outside it would show.
        var bytes = [UInt8](repeating: 0, count: 300)
        for round in 0..<40 {
            for k in bytes.indices { bytes[k] = UInt8(truncatingIfNeeded: numbers.next()) }
            if round == 0 { for k in bytes.indices { bytes[k] = 0 } }
            if round == 1 { for k in bytes.indices { bytes[k] = 0xFF } }
            let k = ShingleHash.constants
            bytes.withUnsafeBytes { raw in
                for offset in [0, 1, 7, 13] {
                    for count in 0...260 {
                        let start = raw.baseAddress! + offset
                        let expected = XXH3.hash64(start, count)
                        #expect(ShingleHash.hash(start, count, k) == expected, "length \(count)")
                        // The shingle loop's form: the span given by its offsets in the text.
                        #expect(
                            ShingleHash.hash(raw.baseAddress!, from: offset, to: offset + count, k) == expected,
                            "length \(count) at \(offset)")
                        // The form given the span's end plus one (where its space would be).
                        #expect(
                            ShingleHash.hash(raw.baseAddress!, from: offset, before: offset + count + 1, k) == expected,
                            "length \(count) at \(offset), before")
                        if count >= 17 && count <= 128 { #expect(ShingleHash.midsize(start, count, k) == expected) }
                    }
                }
            }
        }
    }

    @Test func shinglesHashAsBeforeThroughTheShingler() {
        let shingler = Shingler(ngram: 5)
        shingler.append("Ilgın is an electrician living in Melbourne. Street get fix totally today honestly")
        shingler.append(String(repeating: "a much longer token than usual ", count: 9))
        var hashes: [UInt64] = []
        shingler.forEachShingleHash { hashes.append($0) }
        let expected = shingler.shingles().map { shingle -> UInt64 in
            var shingle = shingle
            return shingle.withUTF8 { XXH3.hash64(UnsafeRawBufferPointer($0)) }
        }
        #expect(hashes == expected)
    }
}

/// The bin of a shingle picked by a shift when the bin count is a power of two, against the
/// range reduction it stands for.
@Suite struct MinHashBinTests {
    @Test func powerOfTwoBinsAreTheRangeReductionsBins() {
        let words = (0..<4000).map { "w\($0 * 7919 % 10000)" }.joined(separator: " ")
        let shingler = Shingler(ngram: 5)
        shingler.append(words)
        var hashes: [UInt64] = []
        shingler.forEachShingleHash { hashes.append($0) }
        for numPerm in [1, 2, 3, 16, 64, 100, 128, 256] {
            // With 3,996 shingles every bin of these counts is filled, so densification (which
            // does not depend on how bins are picked) leaves the signature as it is.
            var expected = [UInt64](repeating: MinHasher.empty, count: numPerm)
            for hash in hashes {
                let bin = Int(((hash >> 32) &* UInt64(numPerm)) >> 32)
                expected[bin] = min(expected[bin], hash)
            }
            #expect(!expected.contains(MinHasher.empty), "numPerm \(numPerm)")
            var signature: [UInt64] = []
            #expect(MinHasher(numPerm: numPerm).sign(shingler, into: &signature))
            #expect(signature == expected, "numPerm \(numPerm)")
        }
    }

    /// `emptyBins` against the definition, bin by bin: every pattern of eight empty and filled
    /// bins, the filled ones holding values one bit short of `empty` in each byte.
    @Test func emptyBinsMarksExactlyTheEmptyBins() {
        var generator = SeededNumbers(state: 0xB175)
        for pattern in 0..<256 {
            let bins: [UInt64] = (0..<8).map { k in
                if pattern >> k & 1 != 0 { return MinHasher.empty }
                let byte = Int.random(in: 0..<8, using: &generator)
                let random = UInt64.random(in: 0...UInt64.max, using: &generator)
                return Bool.random(using: &generator) ? MinHasher.empty ^ (1 << UInt64(byte * 8 + 7)) : random
            }
            let bits = bins.withUnsafeBytes { MinHasher.emptyBins($0.baseAddress!) }
            #expect(bits == UInt64(pattern), "\(bins)")
        }
    }
}
