import SOCTestSupport
import Testing

@testable import SOCCore

@Suite struct MinHashTests {
    @Test func lshParametersMatchDatasketchAtEqualWeights() {
        // datasketch's MinHashLSH(threshold=0.8, num_perm=128) picks b=9, r=13.
        let equal = LSHParameters.optimal(threshold: 0.8, numPerm: 128, fpWeight: 0.5, fnWeight: 0.5)
        #expect(equal.bands == 9 && equal.rows == 13)
        let recall = LSHParameters.optimal(threshold: 0.8, numPerm: 128, fpWeight: 0.1, fnWeight: 0.9)
        #expect(recall.bands == 14 && recall.rows == 9)
        #expect(recall.falseNegativeArea < equal.falseNegativeArea)
        for t in [0.5, 0.7, 0.9] {
            let p = LSHParameters.optimal(threshold: t, numPerm: 64)
            #expect(p.bands * p.rows <= 64)
            // The S-curve rises through the threshold.
            #expect(p.candidateProbability(t - 0.3) < p.candidateProbability(t + 0.05))
        }
    }

    /// The search as first written (every integrand evaluated in full for every bands × rows):
    /// the faster search must choose the same parameters with bit-identical areas.
    private static func referenceOptimal(threshold: Double, numPerm: Int, fpWeight: Double, fnWeight: Double) -> (
        bands: Int, rows: Int, fp: Double, fn: Double
    ) {
        func integrate(_ a: Double, _ b: Double, _ f: (Double) -> Double) -> Double {
            let n = 200
            let h = (b - a) / Double(n)
            var sum = f(a) + f(b)
            for i in 1..<n { sum += f(a + Double(i) * h) * (i % 2 == 1 ? 4 : 2) }
            return sum * h / 3
        }
        var best = (bands: 0, rows: 0, fp: 0.0, fn: 0.0)
        var bestError = Double.infinity
        for bands in 1...numPerm {
            for rows in 1...(numPerm / bands) {
                let fp = integrate(0, threshold) { s in 1 - pow1(1 - pow1(s, rows), bands) }
                let fn = integrate(threshold, 1) { s in pow1(1 - pow1(s, rows), bands) }
                let error = fp * fpWeight + fn * fnWeight
                if error < bestError - 1e-15 {
                    bestError = error
                    best = (bands, rows, fp, fn)
                }
            }
        }
        return best
    }

    @Test func lshParametersEqualTheDirectSearch() {
        for numPerm in [1, 16, 100, 128, 256] {
            for threshold in [0.05, 0.3, 0.5, 0.8, 0.95] {
                for fnWeight in [0.1, 0.5, 0.9] {
                    let fast = LSHParameters.optimal(
                        threshold: threshold, numPerm: numPerm, fpWeight: 1 - fnWeight, fnWeight: fnWeight)
                    let direct = Self.referenceOptimal(
                        threshold: threshold, numPerm: numPerm, fpWeight: 1 - fnWeight, fnWeight: fnWeight)
                    #expect(
                        fast.bands == direct.bands && fast.rows == direct.rows, "\(numPerm) \(threshold) \(fnWeight)")
                    #expect(fast.falsePositiveArea.bitPattern == direct.fp.bitPattern)
                    #expect(fast.falseNegativeArea.bitPattern == direct.fn.bitPattern)
                }
            }
        }
    }

    @Test func knownLSHParametersAreWhatTheSearchFinds() {
        for entry in LSHParameters.known {
            let found = LSHParameters.search(
                threshold: entry.threshold, numPerm: entry.numPerm, fpWeight: entry.fpWeight, fnWeight: entry.fnWeight)
            #expect(found.bands == entry.answer.bands && found.rows == entry.answer.rows)
            #expect(found.falsePositiveArea.bitPattern == entry.answer.falsePositiveArea.bitPattern)
            #expect(found.falseNegativeArea.bitPattern == entry.answer.falseNegativeArea.bitPattern)
        }
    }

    @Test func identicalTextsHaveIdenticalSignatures() {
        let hasher = MinHasher(numPerm: 128)
        let a = hasher.signature(of: "The quick brown fox jumps over the lazy dog again and again", ngram: 5)
        let b = hasher.signature(of: "the QUICK brown fox; jumps over the lazy dog, again and again!", ngram: 5)
        #expect(a != nil && a == b)
        #expect(a!.allSatisfy { $0 != MinHasher.empty }, "densification fills every bin")
        #expect(hasher.signature(of: "...", ngram: 5) == nil)
    }

    /// OPH and densification as first written (bins by Lemire's reduction, each empty bin from
    /// the first originally non-empty bin on its probe sequence, the values gathered before any
    /// is written): the signatures `sign` makes with its bit set of empty bins must equal these.
    static func referenceSignature(_ hashes: [UInt64], numPerm: Int, seed: UInt64) -> [UInt64]? {
        var sig = [UInt64](repeating: MinHasher.empty, count: numPerm)
        for hash in hashes {
            let bin = Int(((hash >> 32) &* UInt64(numPerm)) >> 32)
            sig[bin] = min(sig[bin], hash)
        }
        guard sig.contains(where: { $0 != MinHasher.empty }) else { return nil }
        var pending: [(Int, UInt64)] = []
        for i in 0..<numPerm where sig[i] == MinHasher.empty {
            var attempt: UInt64 = 1
            var value = MinHasher.empty
            while value == MinHasher.empty {
                value = sig[MinHasher.donor(bin: i, attempt: attempt, seed: seed, bins: numPerm)]
                attempt += 1
            }
            pending.append((i, value))
        }
        for (i, value) in pending { sig[i] = value }
        return sig
    }

    @Test func densifiedSignaturesEqualTheFirstAlgorithm() {
        var numbers = SeededNumbers(state: 0xd3e5_1f7e)
        let words = (0..<40).map { "w\($0)" }
        for numPerm in [128, 64, 7, 300] {
            for seed: UInt64 in [0, 42] {
                let hasher = MinHasher(numPerm: numPerm, seed: seed)
                for _ in 0..<60 {
                    let count = Int.random(in: 1...40, using: &numbers)
                    let text = (0..<count).map { _ in words.randomElement(using: &numbers)! }.joined(separator: " ")
                    let shingler = Shingler(ngram: 3)
                    shingler.append(text)
                    var hashes: [UInt64] = []
                    shingler.forEachShingleHash { hashes.append($0) }
                    let expected = Self.referenceSignature(hashes, numPerm: numPerm, seed: seed)
                    #expect(hasher.signature(of: text, ngram: 3) == expected, "\(numPerm) \(seed) \(text)")
                }
            }
        }
    }

    @Test func estimatedSimilarityTracksJaccard() {
        var fixture = ChatGenerator(seed: 7)
        let hasher = MinHasher(numPerm: 128)
        let base = fixture.messages(60)
        for fraction in [0.05, 0.25, 0.5, 0.9] {
            let other = fixture.edited(base, fraction: fraction)
            let a = base.joined(separator: " ")
            let b = other.joined(separator: " ")
            let truth = jaccard(a, b)
            let sa = hasher.signature(of: a, ngram: 5)!
            let sb = hasher.signature(of: b, ngram: 5)!
            let agree = zip(sa, sb).filter { UInt16(truncatingIfNeeded: $0) == UInt16(truncatingIfNeeded: $1) }.count
            let estimate = LSHIndex.estimate(matches: agree, of: 128)
            // Four standard deviations of a 128-sample estimate at worst (J = 0.5): 0.18.
            #expect(abs(estimate - truth) < 0.18, "fraction \(fraction): estimate \(estimate), Jaccard \(truth)")
        }
    }

    @Test func bandTablesAreOneMultimapPerBand() {
        // 5000 records grow the tables from 1024 slots four times.
        let tables = BandTables(bands: 2)
        for record in 0..<5000 {
            tables.insert([UInt32(record % 700), UInt32(record % 3)], record: UInt32(record))
        }
        #expect(tables.count == 5000 && tables.capacity == 16384)
        var found: [Int] = []
        tables.forEach(band: 0, 42) { found.append($0) }
        #expect(found.sorted() == Array(stride(from: 42, to: 5000, by: 700)))
        var none: [Int] = []
        tables.forEach(band: 0, 70_000) { none.append($0) }
        tables.forEach(band: 1, 42) { none.append($0) }
        #expect(none.isEmpty)
        var ofTwo = 0
        tables.forEach(band: 1, 2) { record in ofTwo += record % 3 == 2 ? 1 : 0 }
        #expect(ofTwo == 1666)
    }

    @Test func bandTablesDoubleInPlaceBeyondOneMegabyte() {
        // 14 bands: 40,000 records grow the block past 1 MB (a mapping) and on (moved by mremap);
        // every record stays findable under its hash in every band.
        let tables = BandTables(bands: 14)
        func hash(_ record: Int, _ band: Int) -> UInt32 { UInt32(MinHasher.mix(UInt64(record * 14 + band)) % 9000) }
        for record in 0..<40_000 {
            tables.insert((0..<14).map { hash(record, $0) }, record: UInt32(record))
        }
        #expect(tables.capacity == 131_072)
        for record in stride(from: 0, to: 40_000, by: 997) {
            for band in [0, 6, 13] {
                var found = false
                tables.forEach(band: band, hash(record, band)) { found = found || $0 == record }
                #expect(found, "record \(record), band \(band)")
            }
        }
    }

    @Test func bandTablesInsertAtTheChainEndsALookupFound() {
        // Inserting at the slots `lookUp` found stores what walking the chains stores, with
        // and without a doubling in between (1024 slots: the 512th insert doubles), and when the
        // lookup is stale (every fifth record: another record was inserted after it).
        let walked = BandTables(bands: 3)
        let reused = BandTables(bands: 3)
        for record in 0..<3000 {
            // Few distinct hashes: long chains, many collisions.
            let hashes = (0..<3).map { UInt32(MinHasher.mix(UInt64(record * 3 + $0)) % 50) }
            for band in 0..<3 { reused.lookUp(band: band, hashes[band]) { _ in } }
            if record % 5 == 4 {
                let other = (0..<3).map { UInt32(MinHasher.mix(UInt64(record * 7 + $0)) % 50) }
                walked.insert(other, record: UInt32(record + 100_000))
                reused.insert(other, record: UInt32(record + 100_000))
            }
            walked.insert(hashes, record: UInt32(record))
            reused.insert(hashes, record: UInt32(record))
            for band in 0..<3 {
                var a: [Int] = []
                var b: [Int] = []
                walked.forEach(band: band, hashes[band]) { a.append($0) }
                reused.forEach(band: band, hashes[band]) { b.append($0) }
                #expect(a == b && a.contains(record))
            }
        }
    }

    @Test func bandTablesLookUpFindsWhatTheChainWalkFinds() {
        // Few distinct hashes (long chains, crowded stretches, chains that wrap past the last
        // slot): the four-slot probe gives the records of the slot-by-slot walk, in its order.
        let tables = BandTables(bands: 2)
        for record in 0..<700 {
            tables.insert((0..<2).map { UInt32(MinHasher.mix(UInt64(record * 2 + $0)) % 90) }, record: UInt32(record))
        }
        for hash in UInt32(0)..<120 {
            for band in 0..<2 {
                var walked: [Int] = []
                var probed: [Int] = []
                tables.forEach(band: band, hash) { walked.append($0) }
                tables.lookUp(band: band, hash) { probed.append($0) }
                #expect(walked == probed, "band \(band), hash \(hash)")
            }
        }
    }
}
