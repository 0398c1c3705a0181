import CSystem

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

    /// The first `probeDepth` donors of every bin's probe sequence, precomputed: bin `i`'s
    /// attempt `a` (1-based) is at `probes[(a - 1) * numPerm + i]`. Attempt by attempt, so that
    /// the first two donors of all bins, which `densify` reads as a rule, share a few cache
    /// lines: bin by bin, the first donor of each empty bin was a first-level miss (155K of the
    /// 181K on the 100 MB bench file, callgrind's cache model).
    private let probes: [UInt16]
    private let probeDepth: Int
    /// `64 - k` when `numPerm` is `2^k` (k >= 1): the bin is then the hash's top `k` bits,
    /// the same bin as the range reduction picks; nil for other counts.
    private let binShift: UInt64?

    public init(numPerm: Int, seed: UInt64 = 0) {
        precondition(numPerm >= 1 && numPerm <= 1 << 16)
        self.numPerm = numPerm
        self.seed = seed
        probeDepth = min(numPerm, 256)
        var probes = [UInt16](repeating: 0, count: numPerm * probeDepth)
        for i in 0..<numPerm {
            for a in 1...probeDepth {
                probes[(a - 1) * numPerm + i] = UInt16(
                    Self.donor(bin: i, attempt: UInt64(a), seed: seed, bins: numPerm))
            }
        }
        self.probes = probes
        binShift =
            numPerm >= 2 && numPerm & (numPerm - 1) == 0
            ? UInt64(64 - numPerm.trailingZeroBitCount) : nil
    }

    /// The bin that empty bin `bin` asks on its `attempt`-th probe.
    static func donor(bin: Int, attempt: UInt64, seed: UInt64, bins: Int) -> Int {
        let probe = mix(seed ^ (UInt64(bin) << 32 | attempt))
        return Int(truncatingIfNeeded: ((probe >> 32) &* UInt64(bins)) >> 32)
    }

    /// The sentinel of a bin that no shingle fell into.
    public static let empty = UInt64.max

    /// Fills `signature` (resized to `numPerm`) from the shingles of `shingler`; returns false
    /// (and leaves it all `empty`) when the text has no tokens.
    public func sign(_ shingler: Shingler, into signature: inout [UInt64]) -> Bool {
        if signature.count != numPerm { signature = [UInt64](repeating: Self.empty, count: numPerm) }
        let bins = UInt64(numPerm)
        let words = (numPerm &+ 63) &>> 6
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { empty in
            var filled = 0
            signature.withUnsafeMutableBufferPointer { sig in
                fill(sig, bins: bins, from: shingler)
                // Which bins are empty, as bits: without a branch per bin (which bins are empty
                // is random: the `where sig[i] == empty` filter that densify marked them with was
                // mispredicted 211K times on the 100 MB bench file), and counted from the bits.
                let base = UnsafeRawPointer(sig.baseAddress!)
                for w in 0..<words {
                    let first = w &<< 6
                    let last = min(numPerm, first &+ 64)
                    var bits: UInt64 = 0
                    // Eight bins at a time (`emptyBins`: 14.9M instructions on the 100 MB bench
                    // file one bin at a time), the rest one by one. A whole word of bins (all of
                    // them at 128 bins) as eight steps written out: the exit of a loop of eight
                    // was mispredicted once a word.
                    var i = first
                    if last &- first == 64 {
                        let word = base + first &* 8
                        bits = Self.emptyBins(word)
                        bits |= Self.emptyBins(word + 64) &<< 8
                        bits |= Self.emptyBins(word + 128) &<< 16
                        bits |= Self.emptyBins(word + 192) &<< 24
                        bits |= Self.emptyBins(word + 256) &<< 32
                        bits |= Self.emptyBins(word + 320) &<< 40
                        bits |= Self.emptyBins(word + 384) &<< 48
                        bits |= Self.emptyBins(word + 448) &<< 56
                        i = last
                    }
                    while i &+ 8 <= last {
                        bits |= Self.emptyBins(base + i &* 8) &<< UInt64(i & 63)
                        i &+= 8
                    }
                    while i < last {
                        bits |= UInt64(sig[i] == Self.empty ? 1 : 0) &<< UInt64(i & 63)
                        i &+= 1
                    }
                    empty[w] = bits
                    filled &+= last &- first &- bits.nonzeroBitCount
                }
            }
            if filled == 0 { return false }
            if filled < numPerm { densify(&signature, empty: UnsafeBufferPointer(empty)) }
            return true
        }
    }

    /// Bit k: bin k of the eight at `p` is `empty` (all its bytes 0xFF). Four 16-byte compares
    /// give a bit per byte; each bin's eight are folded into its lowest, and the eight lowest
    /// gathered into one byte by a multiply (bit `8k` lands on bit `56 + k`, no carries).
    @inline(__always)
    static func emptyBins(_ p: UnsafeRawPointer) -> UInt64 {
        typealias V = SIMD16<UInt8>
        let ones = V(repeating: 0xFF)
        @inline(__always) func lanes(_ offset: Int) -> UInt64 {
            let bytes = p.loadUnaligned(fromByteOffset: offset, as: V.self)
            return UInt64(soc_high_bits16(unsafeBitCast(bytes .== ones, to: V.self)))
        }
        var bytes = lanes(0) | lanes(16) &<< 16 | lanes(32) &<< 32 | lanes(48) &<< 48
        bytes &= bytes &>> 4
        bytes &= bytes &>> 2
        bytes &= bytes &>> 1
        return ((bytes & 0x0101_0101_0101_0101) &* 0x0102_0408_1020_4080) &>> 56
    }

    /// Sets every bin of `sig` to the least hash of the shingles of `shingler` that fall in it
    /// (`empty` when none does).
    @inline(__always)
    private func fill(_ sig: UnsafeMutableBufferPointer<UInt64>, bins: UInt64, from shingler: Shingler) {
        for k in 0..<sig.count { sig[k] = Self.empty }
        let base = sig.baseAddress!
        // Lemire's range reduction on the high half picks the bin; the whole hash is the
        // value. A branch-free min: which bin a shingle lowers is unpredictable.
        if binShift == 57 {
            // The default 128 bins: the shift as an immediate (a register shift takes its
            // count in `cl`, one more instruction per shingle).
            shingler.forEachShingleHash { hash in
                let bin = Int(truncatingIfNeeded: hash &>> 57)
                base[bin] = min(base[bin], hash)
            }
        } else if let shift = binShift {
            // `(h >> 32) * 2^k >> 32` is `h >> (64 - k)`: one shift per shingle instead of
            // a multiply and two (1.75M shingles on real20.jsonl).
            shingler.forEachShingleHash { hash in
                let bin = Int(truncatingIfNeeded: hash &>> shift)
                base[bin] = min(base[bin], hash)
            }
        } else {
            shingler.forEachShingleHash { hash in
                let bin = Int(truncatingIfNeeded: ((hash >> 32) &* bins) >> 32)
                base[bin] = min(base[bin], hash)
            }
        }
    }

    /// Signature of a Swift string (tests).
    public func signature(of text: String, ngram: Int) -> [UInt64]? {
        let shingler = Shingler(ngram: ngram)
        shingler.append(text)
        var signature: [UInt64] = []
        return sign(shingler, into: &signature) ? signature : nil
    }

    /// Fills every empty bin from the first originally non-empty bin on its probe sequence.
    /// The empty bins are marked in a bit set (`empty`, by `sign`) before any is written, so
    /// that no bin borrows a borrowed value, and only they are visited; a donor is tested by its
    /// bit. Before, each empty bin's pending value went through a list and back with a
    /// uniqueness check per write:
    /// densify cost 4.2M instructions on real20.jsonl (2,694 of 3,600 records), 2.3M after.
    private func densify(_ signature: inout [UInt64], empty: UnsafeBufferPointer<UInt64>) {
        let words = empty.count
        signature.withUnsafeMutableBufferPointer { sig in
            probes.withUnsafeBufferPointer { probes in
                for w in 0..<words {
                    var bits = empty[w]
                    while bits != 0 {
                        let i = w &<< 6 | bits.trailingZeroBitCount
                        bits &= bits &- 1
                        var attempt = 1
                        var donor: Int
                        if probeDepth >= 2 {
                            // The first two donors tested at once, the first taken unless it is
                            // empty, without a branch: whether it is was mispredicted 75K times
                            // on the 100 MB bench file (a quarter of the first probes find an
                            // empty bin). Both empty, the probe goes on from the third.
                            let first = Int(probes[i])
                            let second = Int(probes[numPerm &+ i])
                            let firstEmpty = empty[first &>> 6] &>> UInt64(first & 63) & 1
                            let secondEmpty = empty[second &>> 6] &>> UInt64(second & 63) & 1
                            donor = firstEmpty == 0 ? first : second
                            attempt = 3
                            if firstEmpty & secondEmpty == 0 {
                                sig[i] = sig[donor]
                                continue
                            }
                        }
                        repeat {
                            donor =
                                attempt <= probeDepth
                                ? Int(probes[(attempt &- 1) &* numPerm &+ i])
                                : Self.donor(bin: i, attempt: UInt64(attempt), seed: seed, bins: numPerm)
                            attempt &+= 1
                        } while empty[donor &>> 6] &>> UInt64(donor & 63) & 1 != 0
                        sig[i] = sig[donor]
                    }
                }
            }
        }
    }

    /// SplitMix64's finalizer: a cheap, well-mixed 64-bit bijection.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
