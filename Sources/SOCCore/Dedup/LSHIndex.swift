/// The near-duplicate index over kept records: one hash table per band, plus a compact copy of
/// each record's signature for verification.
///
/// Memory per indexed record: `bands` slots of 8 bytes in tables kept between 25% and 50% full
/// (16–32 bytes per band), plus `2·numPerm` bytes of verification signature (the low 16 bits of
/// each MinHash value). At 128 permutations and 14 bands: 256 + 224…448 bytes.
///
/// Verification: a candidate from any band is accepted only if the similarity estimated from
/// the two 16-bit signatures reaches the threshold. A 16-bit value agrees by chance with
/// probability 2⁻¹⁶, corrected for in the estimate; the cost is one pass over `2·numPerm` bytes
/// per candidate, and candidates are rare (true near-duplicates, or about `bands·n/2³²` random
/// band-hash collisions per lookup with `n` records indexed).
///
/// Records come as `LSHKeys`, hashed and narrowed beforehand (on the worker threads in the
/// one-shot run): a lookup and an insert only read and write the tables.
public struct LSHIndex {
    public let parameters: LSHParameters
    public let numPerm: Int
    private let tables: BandTables
    /// Verification signatures, `numPerm` values per indexed record, in index order.
    private let compact: CompactSignatures
    /// Where each band's chain ended in the last `bestMatch` (the slots an insert of the same
    /// keys takes), and the record count then (−1: none).
    private var chainEnds: [Int]
    private var chainEndsCount = -1

    public init(parameters: LSHParameters, numPerm: Int) {
        precondition(parameters.bands * parameters.rows <= numPerm)
        self.parameters = parameters
        self.numPerm = numPerm
        tables = BandTables(bands: parameters.bands)
        chainEnds = [Int](repeating: 0, count: parameters.bands)
        compact = CompactSignatures(numPerm: numPerm)
    }

    /// Number of records indexed.
    public var count: Int { compact.count }

    /// Bytes held by the index (tables and verification signatures), for the report.
    public var bytesHeld: Int { tables.bytesHeld + compact.bytesHeld }

    /// The band hash of band `band` (of `rows` values) of `signature`: XXH3 over the band's
    /// values, seeded with the band number. `LSHKeys` and `sign --bands` use it.
    public static func bandHash(_ signature: [UInt64], band: Int, rows: Int) -> UInt32 {
        precondition((band + 1) * rows <= signature.count)
        return signature.withUnsafeBytes { raw in
            UInt32(truncatingIfNeeded: XXH3.hash64(raw.baseAddress! + band * rows * 8, rows * 8, seed: UInt64(band)))
        }
    }

    /// The best match among indexed records that share a band with `keys`: the highest
    /// estimated similarity at or above `threshold`, ties to the earliest record.
    public mutating func bestMatch(_ keys: LSHKeys, threshold: Double) -> (record: Int, similarity: Double)? {
        precondition(keys.bandHashes.count == parameters.bands, "keys made without bands")
        var best: (record: Int, matches: Int)?
        var seen: [Int] = []
        for band in 0..<parameters.bands {
            chainEnds[band] = tables.forEach(band: band, keys.bandHashes[band]) { record in
                guard !seen.contains(record) else { return }
                seen.append(record)
                let matches = compact.agreements(keys.values, record)
                if let current = best,
                    current.matches > matches || (current.matches == matches && current.record < record)
                {
                    return
                }
                best = (record, matches)
            }
        }
        chainEndsCount = count
        guard let best else { return nil }
        let similarity = Self.estimate(matches: best.matches, of: numPerm)
        return similarity >= threshold ? (best.record, similarity) : nil
    }

    /// Estimated similarity of `keys` with indexed record `record`.
    public func similarity(_ keys: LSHKeys, _ record: Int) -> Double {
        Self.estimate(matches: compact.agreements(keys.values, record), of: numPerm)
    }

    /// Adds `keys` as the next record and returns its index; it is filed under its band hashes
    /// (none when the keys were made without bands: kept for exact-text checks only).
    /// `afterLookup`: `keys` are those of the last `bestMatch`, and nothing was inserted since
    /// (the chains' ends it found are reused).
    @discardableResult
    public mutating func insert(_ keys: LSHKeys, afterLookup: Bool = false) -> Int {
        let record = count
        if !keys.bandHashes.isEmpty {
            precondition(keys.bandHashes.count == parameters.bands, "keys made for other bands")
            let reuse = afterLookup && chainEndsCount == record
            tables.insert(
                keys.bandHashes, record: UInt32(truncatingIfNeeded: record), chainEnds: reuse ? chainEnds : nil)
        }
        chainEndsCount = -1
        compact.append(values: keys.values)
        return record
    }

    /// True when all `numPerm` verification values of `record` equal those of `keys`.
    public func identical(_ keys: LSHKeys, _ record: Int) -> Bool {
        compact.agreements(keys.values, record) == numPerm
    }

    /// Jaccard estimate from `matches` agreeing 16-bit values out of `total`, corrected for
    /// chance agreement (2⁻¹⁶), clamped to [0, 1].
    public static func estimate(matches: Int, of total: Int) -> Double {
        let chance = 1.0 / 65536
        let raw = Double(matches) / Double(total)
        return min(1, max(0, (raw - chance) / (1 - chance)))
    }
}
