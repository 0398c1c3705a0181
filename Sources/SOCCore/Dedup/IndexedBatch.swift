/// A record as `DuplicateIndex` reads it, pointing into memory someone else owns (an
/// `IndexedBatch`, or an `IndexedRecord`'s arrays): its exact hashes and, when it has a
/// signature, its `numPerm` verification values and (when it is filed in bands) its band hashes.
struct IndexedRecordView {
    var keyHash: Key128?
    var textHash: UInt64?
    /// The low 16 bits of each signature value; nil when the text had no tokens.
    var values: UnsafePointer<UInt16>?
    /// `LSHIndex.bandHash` of each band; nil when the record is not filed in bands.
    var bandHashes: UnsafePointer<UInt32>?
}

/// The `IndexedRecord`s of one work unit, made on the worker that decides the unit, in one
/// block of memory per kind (records, values, band hashes) rather than two arrays and an
/// existential box per record.
///
/// Why: each record's claim held an `IndexedRecord` (its `LSHKeys`: two arrays) in a boxed
/// existential: three `malloc`s on the worker, three `free`s when the unit's decisions were
/// emptied, and their pointers chased by the ordered `confirm`. On the 100 MB bench file
/// (`--threads 1`, callgrind) the arrays' allocation cost 11.3M instructions with 234K
/// first-level instruction misses, the box 4.5M and the decisions' destruction 17.1M.
/// A claim (`IndexedClaim`) now holds this batch and the record's position in it: three words,
/// stored in the existential's own buffer.
///
/// Written by one worker while it decides the unit, read by the applying thread only after
/// (the scheduler hands the unit over): the worker starts a new batch for each unit (`endUnit`).
final class IndexedBatch: @unchecked Sendable {
    struct Entry {
        var keyHash: Key128
        var textHash: UInt64
        /// Where the record's values start in `values` (in values), or −1 (no signature).
        var valuesAt: Int32
        /// Where its band hashes start in `hashes`, or −1 (no signature, or not filed in bands).
        var hashesAt: Int32
        var hasKey: Bool
        var hasText: Bool
    }

    let numPerm: Int
    /// Band hashes made per signed record (0: `--no-near`).
    let bands: Int
    private(set) var count = 0
    private var entries: UnsafeMutablePointer<Entry>
    private var entryCapacity: Int
    private var values: UnsafeMutablePointer<UInt16>
    private var valueCount = 0
    private var valueCapacity: Int
    private var hashes: UnsafeMutablePointer<UInt32>
    private var hashCount = 0
    private var hashCapacity: Int

    /// An empty batch with room for `records` signed records.
    init(numPerm: Int, bands: Int, records: Int) {
        self.numPerm = numPerm
        self.bands = bands
        entryCapacity = max(records, 16)
        valueCapacity = entryCapacity * numPerm
        hashCapacity = entryCapacity * max(bands, 1)
        entries = .allocate(capacity: entryCapacity)
        values = .allocate(capacity: valueCapacity)
        hashes = .allocate(capacity: hashCapacity)
    }

    deinit {
        entries.deallocate()
        values.deallocate()
        hashes.deallocate()
    }

    /// Appends `fingerprint` as `IndexedRecord(fingerprint, parameters:, near:)` makes it
    /// (bands of `rows` rows when `bands` > 0); returns its position.
    func append(_ fingerprint: RecordFingerprint, rows: Int) -> Int {
        if count == entryCapacity { entries = Self.grown(entries, count, &entryCapacity, count * 2) }
        var entry = Entry(
            keyHash: fingerprint.keyHash ?? Key128(high: 0, low: 0), textHash: fingerprint.textHash ?? 0,
            valuesAt: -1, hashesAt: -1, hasKey: fingerprint.keyHash != nil, hasText: fingerprint.textHash != nil)
        if !fingerprint.signature.isEmpty {
            precondition(fingerprint.signature.count == numPerm && bands * rows <= numPerm)
            if valueCount + numPerm > valueCapacity {
                values = Self.grown(values, valueCount, &valueCapacity, (valueCount + numPerm) * 2)
            }
            if hashCount + bands > hashCapacity {
                hashes = Self.grown(hashes, hashCount, &hashCapacity, (hashCount + bands) * 2)
            }
            entry.valuesAt = Int32(truncatingIfNeeded: valueCount)
            if bands > 0 { entry.hashesAt = Int32(truncatingIfNeeded: hashCount) }
            fingerprint.signature.withUnsafeBufferPointer { signature in
                LSHKeys.make(
                    from: signature.baseAddress!, count: numPerm, values: values + valueCount, bands: bands, rows: rows,
                    hashes: hashes + hashCount)
            }
            valueCount += numPerm
            hashCount += bands
        }
        (entries + count).initialize(to: entry)
        count += 1
        return count - 1
    }

    private static func grown<T>(
        _ old: UnsafeMutablePointer<T>, _ used: Int, _ capacity: inout Int, _ wanted: Int
    ) -> UnsafeMutablePointer<T> {
        let grown = UnsafeMutablePointer<T>.allocate(capacity: wanted)
        grown.moveInitialize(from: old, count: used)
        old.deallocate()
        capacity = wanted
        return grown
    }

    /// Record `index` as the index reads it (valid while this batch lives).
    @inline(__always)
    func view(_ index: Int) -> IndexedRecordView {
        precondition(index >= 0 && index < count)
        let entry = entries[index]
        return IndexedRecordView(
            keyHash: entry.hasKey ? entry.keyHash : nil, textHash: entry.hasText ? entry.textHash : nil,
            values: entry.valuesAt < 0 ? nil : UnsafePointer(values + Int(entry.valuesAt)),
            bandHashes: entry.hashesAt < 0 ? nil : UnsafePointer(hashes + Int(entry.hashesAt)))
    }

    /// The band hashes of record `index`, or nil (no signature, or not filed in bands).
    @inline(__always)
    func bandHashes(_ index: Int) -> UnsafePointer<UInt32>? {
        precondition(index >= 0 && index < count)
        let at = entries[index].hashesAt
        return at < 0 ? nil : UnsafePointer(hashes + Int(at))
    }

    /// Record `index` as an `IndexedRecord` (tests).
    func record(_ index: Int) -> IndexedRecord {
        let view = view(index)
        var record = IndexedRecord(keyHash: view.keyHash, textHash: view.textHash)
        if let values = view.values {
            record.keys = LSHKeys(
                values: Array(UnsafeBufferPointer(start: values, count: numPerm)),
                bandHashes: view.bandHashes.map { Array(UnsafeBufferPointer(start: $0, count: bands)) } ?? [])
        }
        return record
    }
}

/// The one-shot run's claim: a record of an `IndexedBatch`, its id and whether its text had
/// no tokens. Three words: it fits the existential's inline buffer (no box per record).
///
/// The batch is held unretained: the unit whose decisions hold the claims holds the batch too
/// (`FingerprintStage.endUnit` hands it over as the unit's result, which lives until the unit
/// is applied), and the stage that makes claims holds its current batch. Retained, the one
/// batch's count was written by every claim made, copied, checked and destroyed (~1.4% of
/// soc-dedup's time at `--threads 1`, perf: the release in `confirm` alone 0.65%).
struct IndexedClaim: OrderedClaim {
    let batchRef: Unmanaged<IndexedBatch>
    /// The record's position in the batch, and whether its text had no tokens.
    let index: Int32
    let withoutText: Bool
    /// The id for `--clusters` (empty when not wanted or absent).
    let id: [UInt8]

    /// The batch (alive as said above).
    var batch: IndexedBatch { batchRef.takeUnretainedValue() }

    /// The record as `DuplicateIndex` judges it (tests).
    var indexed: IndexedRecord { batch.record(Int(index)) }
}

/// A unit's finished `IndexedBatch`, as the unit's result: it keeps the batch alive while the
/// unit's claims wait to be confirmed (see `IndexedClaim`).
struct FinishedBatch: WorkUnitResult {
    let batch: IndexedBatch
}
