/// The near-duplicate index over kept records: one hash table per band, plus a compact copy of
/// each record's signature for verification.
///
/// Memory per indexed record: `bands` slots of 8 bytes in tables kept between 25% and 50% full
/// (16–32 bytes per band), plus `2·numPerm` bytes of verification signature (the low 16 bits of
/// each MinHash value). At 128 permutations and 9 bands: 256 + 144…288 bytes.
///
/// Verification: a candidate from any band is accepted only if the similarity estimated from
/// the two 16-bit signatures reaches the threshold. A 16-bit value agrees by chance with
/// probability 2⁻¹⁶, corrected for in the estimate; the cost is one pass over `2·numPerm` bytes
/// per candidate, and candidates are rare (true near-duplicates, or about `bands·n/2³²` random
/// band-hash collisions per lookup with `n` records indexed).
public struct LSHIndex {
    public let parameters: LSHParameters
    public let numPerm: Int
    private var tables: [BandTable]
    /// Verification signatures, `numPerm` values per indexed record, in index order.
    private let compact: CompactSignatures
    /// Scratch: band hashes of the record being looked up.
    private var bandHashes: [UInt32]

    public init(parameters: LSHParameters, numPerm: Int) {
        precondition(parameters.bands * parameters.rows <= numPerm)
        self.parameters = parameters
        self.numPerm = numPerm
        tables = (0..<parameters.bands).map { _ in BandTable() }
        bandHashes = [UInt32](repeating: 0, count: parameters.bands)
        compact = CompactSignatures(numPerm: numPerm)
    }

    /// Number of records indexed.
    public var count: Int { compact.count }

    /// Bytes held by the index (tables and verification signatures), for the report.
    public var bytesHeld: Int { tables.reduce(0) { $0 + $1.capacity * 8 } + compact.bytesHeld }

    /// The band hash of band `band` of `signature`: XXH3 over the band's `rows` values.
    public func bandHash(_ signature: [UInt64], band: Int) -> UInt32 {
        Self.bandHash(signature, band: band, rows: parameters.rows)
    }

    /// The band hash of band `band` (of `rows` values) of `signature`; `sign --bands` writes it.
    public static func bandHash(_ signature: [UInt64], band: Int, rows: Int) -> UInt32 {
        signature.withUnsafeBytes { raw in
            UInt32(truncatingIfNeeded: XXH3.hash64(raw.baseAddress! + band * rows * 8, rows * 8, seed: UInt64(band)))
        }
    }

    /// The best match among indexed records whose signature shares a band with `signature`:
    /// the highest estimated similarity at or above `threshold`, ties to the earliest record.
    public mutating func bestMatch(_ signature: [UInt64], threshold: Double) -> (record: Int, similarity: Double)? {
        for band in 0..<parameters.bands { bandHashes[band] = bandHash(signature, band: band) }
        var best: (record: Int, matches: Int)?
        var seen: [Int] = []
        for band in 0..<parameters.bands {
            tables[band].forEach(bandHashes[band]) { record in
                guard !seen.contains(record) else { return }
                seen.append(record)
                let matches = agreements(signature, record)
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

    /// Estimated similarity of `signature` with indexed record `record`.
    public func similarity(_ signature: [UInt64], _ record: Int) -> Double {
        Self.estimate(matches: agreements(signature, record), of: numPerm)
    }

    /// Adds `signature` as the next record; returns its index. Uses the band hashes of the last
    /// `bestMatch` call when `reuseBandHashes` is true (the same signature was just looked up).
    /// With `indexBands` false only the verification signature is kept (exact-text checks
    /// without near-duplicate search).
    @discardableResult
    public mutating func insert(_ signature: [UInt64], reuseBandHashes: Bool = false, indexBands: Bool = true) -> Int {
        let record = count
        for band in 0..<parameters.bands where indexBands {
            let hash = reuseBandHashes ? bandHashes[band] : bandHash(signature, band: band)
            tables[band].insert(hash, record: UInt32(truncatingIfNeeded: record))
        }
        compact.append(signature)
        return record
    }

    /// True when all `numPerm` verification values of `record` equal those of `signature`.
    public func identical(_ signature: [UInt64], _ record: Int) -> Bool {
        agreements(signature, record) == numPerm
    }

    private func agreements(_ signature: [UInt64], _ record: Int) -> Int {
        compact.agreements(signature, record)
    }

    /// Jaccard estimate from `matches` agreeing 16-bit values out of `total`, corrected for
    /// chance agreement (2⁻¹⁶), clamped to [0, 1].
    public static func estimate(matches: Int, of total: Int) -> Double {
        let chance = 1.0 / 65536
        let raw = Double(matches) / Double(total)
        return min(1, max(0, (raw - chance) / (1 - chance)))
    }
}

/// An open-addressing multimap from a 32-bit band hash to record indices; slots pack
/// `hash << 32 | (record + 1)` so that 0 means empty. Linear probing; grows at half full.
struct BandTable {
    private var slots: [UInt64] = [UInt64](repeating: 0, count: 1024)
    private var used = 0

    var capacity: Int { slots.count }

    private func home(_ hash: UInt32, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(hash) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    mutating func insert(_ hash: UInt32, record: UInt32) {
        if (used + 1) * 2 > slots.count { grow() }
        place(UInt64(hash) << 32 | UInt64(record &+ 1))
        used += 1
    }

    private mutating func place(_ entry: UInt64) {
        let mask = slots.count - 1
        var i = home(UInt32(truncatingIfNeeded: entry >> 32), mask)
        while slots[i] != 0 { i = (i + 1) & mask }
        slots[i] = entry
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count * 2)
        for entry in old where entry != 0 { place(entry) }
    }

    /// Calls `body` with every record stored under `hash`, in insertion order per probe chain.
    func forEach(_ hash: UInt32, _ body: (Int) -> Void) {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var i = home(hash, mask)
            while true {
                let entry = slots[i]
                if entry == 0 { return }
                if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                    body(Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1)
                }
                i = (i + 1) & mask
            }
        }
    }
}

/// The 16-bit verification signatures, in chunks of 4096 records: growing never copies what
/// is stored (no doubling peak) and wastes at most one chunk. A class, so that it can free its
/// chunks; the index that owns it is never copied.
final class CompactSignatures {
    let numPerm: Int
    private var chunks: [UnsafeMutablePointer<UInt16>] = []
    private(set) var count = 0
    private static let perChunk = 4096

    init(numPerm: Int) { self.numPerm = numPerm }

    var bytesHeld: Int { chunks.count * Self.perChunk * numPerm * 2 }

    func append(_ signature: [UInt64]) {
        if count == chunks.count * Self.perChunk { chunks.append(.allocate(capacity: Self.perChunk * numPerm)) }
        let base = chunks[count / Self.perChunk] + (count % Self.perChunk) * numPerm
        for k in 0..<numPerm { base[k] = UInt16(truncatingIfNeeded: signature[k]) }
        count += 1
    }

    func agreements(_ signature: [UInt64], _ record: Int) -> Int {
        let base = chunks[record / Self.perChunk] + (record % Self.perChunk) * numPerm
        var matches = 0
        signature.withUnsafeBufferPointer { sig in
            for k in 0..<numPerm where base[k] == UInt16(truncatingIfNeeded: sig[k]) { matches += 1 }
        }
        return matches
    }

    /// Agreeing values of two stored records.
    func agreements(_ a: Int, _ b: Int) -> Int {
        let baseA = chunks[a / Self.perChunk] + (a % Self.perChunk) * numPerm
        let baseB = chunks[b / Self.perChunk] + (b % Self.perChunk) * numPerm
        var matches = 0
        for k in 0..<numPerm where baseA[k] == baseB[k] { matches += 1 }
        return matches
    }

    deinit {
        for chunk in chunks { chunk.deallocate() }
    }
}
