/// A record's MinHash signature in the form the LSH index reads it: the hash of each band (the
/// keys the record is filed and looked up under) and the low 16 bits of each value (what a
/// candidate is verified on).
///
/// Made from the signature once, on any thread: the one-shot run makes them on the worker that
/// signed the record, so the ordered probe and insert (the part of dedup that does not scale
/// with threads) hash nothing and copy 256 bytes of values instead of narrowing 1 KB of them.
public struct LSHKeys: Sendable, Equatable {
    /// `LSHIndex.bandHash` of each band, band 0 first; empty when the record is not filed in
    /// bands (`--no-near`: only exact-text checks read the values).
    public private(set) var bandHashes: [UInt32]
    /// The low 16 bits of each signature value, in order (`numPerm` of them).
    public private(set) var values: [UInt16]

    /// The keys of `signature`; band hashes for `parameters`' bands, or none when `parameters`
    /// is nil.
    public init(signature: [UInt64], parameters: LSHParameters?) {
        let count = signature.count
        let bands = parameters?.bands ?? 0
        // Each array made by `reserveCapacity` and filled from a stack buffer: both allocate
        // through code specialized for the element type, where `init(unsafeUninitializedCapacity:)`
        // calls the standard library's generic allocator, which looks the storage class up at run
        // time (~800 instructions an array; these keys cost 13.2M instructions before, 10.5M
        // after, on real20.jsonl). (Filled in place, not by `map` with closures, which cost
        // ~1.8K instructions per record.)
        values = []
        values.reserveCapacity(count)
        bandHashes = []
        bandHashes.reserveCapacity(bands)
        withUnsafeTemporaryAllocation(of: UInt16.self, capacity: count) { narrowed in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: max(bands, 1)) { hashes in
                signature.withUnsafeBufferPointer { signature in
                    Self.make(
                        from: signature.baseAddress!, count: count, values: narrowed.baseAddress!, bands: bands,
                        rows: parameters?.rows ?? 0, hashes: hashes.baseAddress!)
                }
                values.append(contentsOf: UnsafeBufferPointer(narrowed))
                bandHashes.append(contentsOf: UnsafeBufferPointer(rebasing: hashes[0..<bands]))
            }
        }
    }

    /// Keys made elsewhere (`IndexedBatch.record`).
    init(values: [UInt16], bandHashes: [UInt32]) {
        self.values = values
        self.bandHashes = bandHashes
    }

    /// The keys of the `count` values at `signature`, written to `values` (`count` of them) and
    /// `hashes` (`bands` band hashes of `rows` rows each): what `init` stores, for whoever
    /// keeps them in memory of its own (`IndexedBatch`).
    @inline(__always)
    static func make(
        from signature: UnsafePointer<UInt64>, count: Int, values: UnsafeMutablePointer<UInt16>, bands: Int,
        rows: Int, hashes: UnsafeMutablePointer<UInt32>
    ) {
        for k in 0..<count { values[k] = UInt16(truncatingIfNeeded: signature[k]) }
        precondition(bands * rows <= count)
        // `LSHIndex.bandHash` of each band (20.5M instructions with 36K first-level instruction
        // misses on the 100 MB bench file as the generic `XXH3_64bits_withSeed`, inlined).
        BandHash.hashBands(signature, bands: bands, rows: rows, into: hashes)
    }
}

/// A record as `DuplicateIndex` judges it: its exact hashes and its signature's LSH keys.
public struct IndexedRecord: Sendable, Equatable {
    /// XXH3-128 of the `--key` values, or nil when the record has no key.
    public var keyHash: Key128?
    /// XXH3-64 of the normalized text, or nil (no tokens, or exact text off).
    public var textHash: UInt64?
    /// The signature's keys, or nil when the text has no tokens (no signature).
    public var keys: LSHKeys?

    init(keyHash: Key128?, textHash: UInt64?, keys: LSHKeys? = nil) {
        self.keyHash = keyHash
        self.textHash = textHash
        self.keys = keys
    }

    /// `fingerprint` prepared for an index with `parameters`, which files records in bands only
    /// when `near` (the same rule as `DuplicateIndex`'s own conversion, which calls this).
    public init(_ fingerprint: RecordFingerprint, parameters: LSHParameters, near: Bool) {
        keyHash = fingerprint.keyHash
        textHash = fingerprint.textHash
        keys =
            fingerprint.signature.isEmpty
            ? nil : LSHKeys(signature: fingerprint.signature, parameters: near ? parameters : nil)
    }
}
