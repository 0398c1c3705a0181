/// The 16-bit verification signatures, in chunks of 4096 records: growing never copies what
/// is stored (no doubling peak) and wastes at most one chunk. A class, so that it can free its
/// chunks; the index that owns it is never copied.
final class CompactSignatures {
    let numPerm: Int
    // Touched by one thread (the index's owner), once or twice per record: no runtime
    // exclusivity checks.
    @exclusivity(unchecked) private var chunks: [UnsafeMutablePointer<UInt16>] = []
    @exclusivity(unchecked) private(set) var count = 0
    private static let perChunk = 4096

    init(numPerm: Int) { self.numPerm = numPerm }

    var bytesHeld: Int { chunks.count * Self.perChunk * numPerm * 2 }

    private func base(_ record: Int) -> UnsafeMutablePointer<UInt16> {
        chunks[record / Self.perChunk] + (record % Self.perChunk) * numPerm
    }

    /// Appends a record's verification values (`LSHKeys.values`, `numPerm` of them).
    func append(values: UnsafePointer<UInt16>) {
        nextRecord().update(from: values, count: numPerm)
    }

    /// Appends the low 16 bits of each value of `signature`.
    func append(_ signature: [UInt64]) {
        precondition(signature.count == numPerm)
        let base = nextRecord()
        for k in 0..<numPerm { base[k] = UInt16(truncatingIfNeeded: signature[k]) }
    }

    /// Room for one more record, counted.
    private func nextRecord() -> UnsafeMutablePointer<UInt16> {
        if count == chunks.count * Self.perChunk { chunks.append(.allocate(capacity: Self.perChunk * numPerm)) }
        count += 1
        return base(count - 1)
    }

    /// Values of stored record `record` equal to those of `values`.
    func agreements(_ values: UnsafePointer<UInt16>, _ record: Int) -> Int {
        let stored = base(record)
        var matches = 0
        for k in 0..<numPerm where stored[k] == values[k] { matches &+= 1 }
        return matches
    }

    /// Agreeing values of two stored records.
    func agreements(_ a: Int, _ b: Int) -> Int {
        let baseA = base(a)
        let baseB = base(b)
        var matches = 0
        for k in 0..<numPerm where baseA[k] == baseB[k] { matches &+= 1 }
        return matches
    }

    deinit {
        for chunk in chunks { chunk.deallocate() }
    }
}
