/// The exact-text index: normalized-text hash → the first kept record with that text.
///
/// Open addressing with linear probing over power-of-two buckets, at most 3/4 full, grown by
/// doubling exactly when Swift's `Dictionary` would grow after the same inserts (it was one):
/// `capacity` is the same number, so the report's `index_bytes` keeps its value. The keys are
/// XXH3 hashes already, so a bucket is the hash's low bits: a lookup is a mask and a compare or
/// two, where the dictionary ran SipHash over each key on the serial probe path.
struct TextHashTable {
    private var hashes: [UInt64] = []
    /// The record + 1 stored in each bucket; 0: empty.
    private var records: [UInt32] = []
    /// Texts stored.
    private(set) var count = 0

    /// How many texts fit before the table grows: 3/4 of the buckets, as `Dictionary.capacity`.
    var capacity: Int { hashes.count * 3 / 4 }

    /// The record stored under `hash`, or nil.
    func first(_ hash: UInt64) -> UInt32? {
        guard !hashes.isEmpty else { return nil }
        return hashes.withUnsafeBufferPointer { hashes in
            records.withUnsafeBufferPointer { records in
                let mask = hashes.count - 1
                var i = Int(truncatingIfNeeded: hash) & mask
                while records[i] != 0 {
                    if hashes[i] == hash { return records[i] - 1 }
                    i = (i + 1) & mask
                }
                return nil
            }
        }
    }

    /// Stores `record` under `hash`, which must not be stored yet.
    mutating func insert(_ hash: UInt64, record: UInt32) {
        precondition(record < UInt32.max)
        if count + 1 > capacity { grow() }
        Self.place(hash, record &+ 1, &hashes, &records)
        count += 1
    }

    private static func place(_ hash: UInt64, _ stored: UInt32, _ hashes: inout [UInt64], _ records: inout [UInt32]) {
        let mask = hashes.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        records.withUnsafeMutableBufferPointer { records in
            while records[i] != 0 { i = (i + 1) & mask }
            records[i] = stored
        }
        hashes[i] = hash
    }

    private mutating func grow() {
        let buckets = max(2, hashes.count * 2)
        var newHashes = [UInt64](repeating: 0, count: buckets)
        var newRecords = [UInt32](repeating: 0, count: buckets)
        for k in records.indices where records[k] != 0 {
            Self.place(hashes[k], records[k], &newHashes, &newRecords)
        }
        hashes = newHashes
        records = newRecords
    }
}
