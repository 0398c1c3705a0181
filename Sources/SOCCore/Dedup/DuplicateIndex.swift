/// What the index knows about one record: its exact hashes and MinHash signature.
public struct RecordFingerprint: Sendable, Equatable {
    /// XXH3-128 of the `--key` values, or nil when the record has no key (or none was asked for).
    public var keyHash: Key128?
    /// XXH3-64 of the normalized text, or nil when the text has no tokens (or exact text is off).
    public var textHash: UInt64?
    /// The MinHash signature (`numPerm` values), or empty when the text has no tokens.
    public var signature: [UInt64]

    public init(keyHash: Key128? = nil, textHash: UInt64? = nil, signature: [UInt64] = []) {
        self.keyHash = keyHash
        self.textHash = textHash
        self.signature = signature
    }
}

/// A 128-bit hash.
public struct Key128: Hashable, Sendable {
    public var high: UInt64
    public var low: UInt64
    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }
}

/// Why a record was removed.
public enum DuplicateReason: String, Sendable, CaseIterable {
    case exactKey = "exact_key"
    case exactText = "exact_text"
    case nearDuplicate = "near_duplicate"

    public var code: ReasonCode { ReasonCode(rawValue: rawValue) }
}

/// The decision for one record.
public enum DuplicateDecision: Equatable {
    /// Not a duplicate of any kept record; it was indexed as kept record `index`.
    case keep(index: Int)
    /// A duplicate of kept record `of`; `similarity` is the estimated Jaccard similarity of
    /// their texts (1 for exact text, nil when either has no text).
    case duplicate(DuplicateReason, of: Int, similarity: Double?)
}

/// The whole dedup decision, shared by the one-shot run and `cluster` so that they cannot
/// disagree: records arrive in input order; each is compared with the records kept before it
/// (exact key, then exact text, then near duplicate) and is kept (and indexed) only if it
/// matches none. Removed records are not indexed, so a chain A≈B≈C with A≉C keeps A and C.
public struct DuplicateIndex {
    public let threshold: Double
    public let numPerm: Int
    private var keys: [Key128: UInt32] = [:]
    private var texts = TextHashTable()
    private var lsh: LSHIndex
    /// For each kept record, its row in the LSH index (or −1 when it has no signature).
    private var lshRow: [Int32] = []
    /// Kept-record limit; `insert` past it is refused.
    public let maxRecords: Int

    /// Whether near duplicates are searched (`--no-near` turns it off).
    public let near: Bool

    public init(
        threshold: Double, numPerm: Int, parameters: LSHParameters, near: Bool = true, maxRecords: Int = Int(Int32.max)
    ) {
        self.threshold = threshold
        self.near = near
        self.numPerm = numPerm
        lsh = LSHIndex(parameters: parameters, numPerm: numPerm)
        self.maxRecords = min(maxRecords, Int(Int32.max))
    }

    /// The LSH parameters in use.
    public var parameters: LSHParameters { lsh.parameters }

    /// Number of kept records.
    public var keptCount: Int { lshRow.count }

    /// Bytes held by the index structures (approximate for the two exact dictionaries). Only
    /// counts fix it, never an allocation's size: an array's `capacity` includes what `malloc`
    /// rounded its block up to, which depends on the heap's history (so on the thread count), and
    /// the report must not.
    public var bytesHeld: Int {
        lsh.bytesHeld + lshRow.count * 4 + keys.capacity * 20 + texts.capacity * 12
    }

    /// Decides about the next record and indexes it when kept. Returns nil when keeping it would
    /// exceed `maxRecords` (the caller stops the run).
    public mutating func decide(_ record: RecordFingerprint) -> DuplicateDecision? {
        decide(IndexedRecord(record, parameters: parameters, near: near))
    }

    /// `decide` for a record whose LSH keys were made already (on a worker thread), with this
    /// index's parameters and `near`, as `IndexedRecord.init` makes them.
    public mutating func decide(_ record: IndexedRecord) -> DuplicateDecision? {
        guard let keys = record.keys else {
            return decide(IndexedRecordView(keyHash: record.keyHash, textHash: record.textHash))
        }
        precondition(keys.values.count == numPerm)
        precondition(keys.bandHashes.count == (near ? parameters.bands : 0), "keys made for other bands")
        return keys.values.withUnsafeBufferPointer { values in
            keys.bandHashes.withUnsafeBufferPointer { hashes in
                decide(
                    IndexedRecordView(
                        keyHash: record.keyHash, textHash: record.textHash, values: values.baseAddress!,
                        bandHashes: near ? hashes.baseAddress! : nil))
            }
        }
    }

    /// `decide` for a record in memory of its own (`IndexedBatch`, the one-shot run): band
    /// hashes given exactly when `near` (`parameters.bands` of them), `numPerm` values.
    mutating func decide(_ record: IndexedRecordView) -> DuplicateDecision? {
        if let key = record.keyHash, let kept = keys[key] {
            return .duplicate(.exactKey, of: Int(kept), similarity: similarity(record, Int(kept)))
        }
        let textKept = record.textHash.flatMap { texts.first($0) }
        if let kept = textKept, let values = record.values {
            // A 64-bit hash can collide; identical text also means identical signatures.
            let row = lshRow[Int(kept)]
            if row >= 0, lsh.identical(values, Int(row)) {
                return .duplicate(.exactText, of: Int(kept), similarity: 1)
            }
        }
        if near, let values = record.values, let bandHashes = record.bandHashes,
            let match = lsh.bestMatch(values: values, bandHashes: bandHashes, threshold: threshold)
        {
            return .duplicate(.nearDuplicate, of: keptIndex(ofRow: match.record), similarity: match.similarity)
        }
        guard lshRow.count < maxRecords else { return nil }
        let index = lshRow.count
        if let key = record.keyHash { keys[key] = UInt32(index) }
        if let values = record.values {
            if let text = record.textHash, textKept == nil { texts.insert(text, record: UInt32(index)) }
            lshRow.append(Int32(lsh.insert(values: values, bandHashes: near ? record.bandHashes : nil)))
            rowToKept.append(Int32(index))
        } else {
            lshRow.append(-1)
        }
        return .keep(index: index)
    }

    /// Brings the band-table slots that `decide` of a record with band hashes `bandHashes` will
    /// probe first toward the cache. Mutating only so that a caller's stored index is accessed
    /// in place: a non-mutating call copied the index (its dictionary, arrays and tables
    /// retained and released: 8M instructions on the 100 MB bench file).
    mutating func prefetch(bandHashes: UnsafePointer<UInt32>?) {
        if near, let bandHashes { lsh.prefetch(bandHashes: bandHashes) }
    }

    /// LSH rows in insertion order map back to kept indices.
    private var rowToKept: [Int32] = []

    private func keptIndex(ofRow row: Int) -> Int { Int(rowToKept[row]) }

    private func similarity(_ record: IndexedRecordView, _ kept: Int) -> Double? {
        let row = lshRow[kept]
        guard row >= 0, let values = record.values else { return nil }
        return lsh.similarity(values, Int(row))
    }
}
