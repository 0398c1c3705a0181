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

    public init(parameters: LSHParameters, numPerm: Int) {
        precondition(parameters.bands * parameters.rows <= numPerm)
        self.parameters = parameters
        self.numPerm = numPerm
        tables = BandTables(bands: parameters.bands)
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
        return signature.withUnsafeBufferPointer { bandHash($0.baseAddress!, band: band, rows: rows) }
    }

    /// `bandHash` of the signature at `signature` (at least `(band + 1) * rows` values).
    @inline(__always)
    static func bandHash(_ signature: UnsafePointer<UInt64>, band: Int, rows: Int) -> UInt32 {
        BandHash.hash(signature + band * rows, rows * 8, band: band)
    }

    /// The best match among indexed records that share a band with `keys`: the highest
    /// estimated similarity at or above `threshold`, ties to the earliest record.
    public mutating func bestMatch(_ keys: LSHKeys, threshold: Double) -> (record: Int, similarity: Double)? {
        precondition(keys.bandHashes.count == parameters.bands, "keys made without bands")
        precondition(keys.values.count == numPerm)
        return keys.values.withUnsafeBufferPointer { values in
            keys.bandHashes.withUnsafeBufferPointer { hashes in
                bestMatch(values: values.baseAddress!, bandHashes: hashes.baseAddress!, threshold: threshold)
            }
        }
    }

    /// `bestMatch` of the keys at `values` (`numPerm` of them) and `bandHashes` (one per band).
    func bestMatch(
        values: UnsafePointer<UInt16>, bandHashes: UnsafePointer<UInt32>, threshold: Double
    ) -> (record: Int, similarity: Double)? {
        var best: (record: Int, matches: Int)?
        var seen: [Int] = []
        for band in 0..<parameters.bands {
            tables.lookUp(band: band, bandHashes[band]) { record in
                guard !seen.contains(record) else { return }
                seen.append(record)
                let matches = compact.agreements(values, record)
                if let current = best,
                    current.matches > matches || (current.matches == matches && current.record < record)
                {
                    return
                }
                best = (record, matches)
            }
        }
        guard let best else { return nil }
        let similarity = Self.estimate(matches: best.matches, of: numPerm)
        return similarity >= threshold ? (best.record, similarity) : nil
    }

    /// Estimated similarity of `keys` with indexed record `record`.
    public func similarity(_ keys: LSHKeys, _ record: Int) -> Double {
        precondition(keys.values.count == numPerm)
        return keys.values.withUnsafeBufferPointer { similarity($0.baseAddress!, record) }
    }

    /// `similarity` of the `numPerm` values at `values`.
    func similarity(_ values: UnsafePointer<UInt16>, _ record: Int) -> Double {
        Self.estimate(matches: compact.agreements(values, record), of: numPerm)
    }

    /// Adds `keys` as the next record and returns its index; it is filed under its band hashes
    /// (none when the keys were made without bands: kept for exact-text checks only). When the
    /// last `bestMatch` looked up these keys and nothing was inserted since, the chains' ends it
    /// found are reused (`BandTables` keeps them).
    @discardableResult
    public mutating func insert(_ keys: LSHKeys) -> Int {
        precondition(keys.values.count == numPerm)
        precondition(keys.bandHashes.isEmpty || keys.bandHashes.count == parameters.bands, "keys made for other bands")
        return keys.values.withUnsafeBufferPointer { values in
            keys.bandHashes.withUnsafeBufferPointer { hashes in
                insert(values: values.baseAddress!, bandHashes: keys.bandHashes.isEmpty ? nil : hashes.baseAddress!)
            }
        }
    }

    /// `insert` of the keys at `values` (`numPerm` of them) and `bandHashes` (one per band, or
    /// nil: not filed in bands). The chains' ends of the last `bestMatch` are reused when it
    /// looked these hashes up and nothing was inserted since (`BandTables.insert`).
    @discardableResult
    func insert(values: UnsafePointer<UInt16>, bandHashes: UnsafePointer<UInt32>?) -> Int {
        let record = count
        if let bandHashes { tables.insert(bandHashes, record: UInt32(truncatingIfNeeded: record)) }
        compact.append(values: values)
        return record
    }

    /// True when all `numPerm` verification values of `record` equal those of `keys`.
    public func identical(_ keys: LSHKeys, _ record: Int) -> Bool {
        precondition(keys.values.count == numPerm)
        return keys.values.withUnsafeBufferPointer { identical($0.baseAddress!, record) }
    }

    /// `identical` for the `numPerm` values at `values`.
    func identical(_ values: UnsafePointer<UInt16>, _ record: Int) -> Bool {
        compact.agreements(values, record) == numPerm
    }

    /// `BandTables.prefetch` of the band hashes at `bandHashes` (one per band).
    func prefetch(bandHashes: UnsafePointer<UInt32>) { tables.prefetch(bandHashes) }

    /// Jaccard estimate from `matches` agreeing 16-bit values out of `total`, corrected for
    /// chance agreement (2⁻¹⁶), clamped to [0, 1].
    public static func estimate(matches: Int, of total: Int) -> Double {
        let chance = 1.0 / 65536
        let raw = Double(matches) / Double(total)
        return min(1, max(0, (raw - chance) / (1 - chance)))
    }
}
