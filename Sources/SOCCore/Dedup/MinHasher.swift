/// MinHash signatures by one-permutation hashing (OPH) with optimal densification.
///
/// Why not `numPerm` hash functions: classic MinHash evaluates every permutation for every
/// shingle (`XXH3_64bits_withSeed` per permutation, or one XXH3 plus a multiply-xorshift mix
/// per permutation): 128 mixes per shingle, about 10 G operations for 100 MB of chats, which
/// caps a core near 20 MB/s (rensa's speed). OPH (Li, Owen, Zhang 2012) hashes each shingle
/// once with XXH3 and uses the hash twice: its high 32 bits pick one of `numPerm` bins, and the
/// bin keeps the minimum hash it has seen. Each bin is then a MinHash over a random part of the
/// shingle set; two sets' bins agree with probability equal to their Jaccard similarity, so the
/// LSH and the estimator below are the same as for classic MinHash, at one hash per shingle.
///
/// Empty bins (texts with few shingles) are filled by optimal densification (Shrivastava 2017):
/// empty bin `i` borrows the value of the first non-empty bin on a probe sequence that depends
/// only on `(i, attempt)` and the seed, so two texts borrow consistently and the agreement
/// probability stays the Jaccard similarity.
public struct MinHasher: Sendable {
    /// Signature length (bins).
    public let numPerm: Int
    /// Seed of the densification probe sequence.
    public let seed: UInt64

    public init(numPerm: Int, seed: UInt64 = 0) {
        precondition(numPerm >= 1 && numPerm <= 1 << 16)
        self.numPerm = numPerm
        self.seed = seed
    }

    /// The sentinel of a bin that no shingle fell into.
    public static let empty = UInt64.max

    /// Fills `signature` (resized to `numPerm`) from the shingles of `shingler`; returns false
    /// (and leaves it all `empty`) when the text has no tokens.
    public func sign(_ shingler: Shingler, into signature: inout [UInt64]) -> Bool {
        if signature.count != numPerm { signature = [UInt64](repeating: Self.empty, count: numPerm) }
        let bins = UInt64(numPerm)
        var filled = 0
        signature.withUnsafeMutableBufferPointer { sig in
            for k in 0..<sig.count { sig[k] = Self.empty }
            shingler.forEachShingleHash { hash in
                // Lemire's range reduction on the high half picks the bin; the whole hash is the value.
                let bin = Int(truncatingIfNeeded: ((hash >> 32) &* bins) >> 32)
                if hash < sig[bin] {
                    if sig[bin] == Self.empty { filled += 1 }
                    sig[bin] = hash
                }
            }
        }
        if filled == 0 { return false }
        if filled < numPerm { densify(&signature) }
        return true
    }

    /// Signature of a Swift string (tests).
    public func signature(of text: String, ngram: Int) -> [UInt64]? {
        let shingler = Shingler(ngram: ngram)
        shingler.append(text)
        var signature: [UInt64] = []
        return sign(shingler, into: &signature) ? signature : nil
    }

    private func densify(_ signature: inout [UInt64]) {
        let original = signature
        let bins = UInt64(numPerm)
        for i in 0..<numPerm where original[i] == Self.empty {
            var attempt: UInt64 = 1
            while true {
                let probe = Self.mix(seed ^ (UInt64(i) << 32 | attempt))
                let donor = Int(truncatingIfNeeded: ((probe >> 32) &* bins) >> 32)
                if original[donor] != Self.empty {
                    signature[i] = original[donor]
                    break
                }
                attempt += 1
            }
        }
    }

    /// SplitMix64's finalizer: a cheap, well-mixed 64-bit bijection.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
