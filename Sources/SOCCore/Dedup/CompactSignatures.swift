/// The 16-bit verification signatures, `numPerm` values per record, in one block that grows by
/// chunks of 4096 records (never more than one unused): a `ZeroedMemory`, so from 1 MB on (the
/// first chunk at the default 128 values) on transparent huge pages where the system allows
/// them, and grown in place by `mremap`, which copies nothing (no doubling peak). A class, so
/// that it can free its block; the index that owns it is never copied.
///
/// Why one block: each chunk was a `malloc`ed block of 1 MB (at 128 values), fresh pages from
/// the kernel faulted in 4 KB at a time as records were appended: on the 100 MB bench file
/// (`--threads 1`) those faults were 0.7% of soc-dedup's time (`perf record -g`), and the run's
/// page faults 3,836, now 2,720 (`perf stat -e page-faults`).
final class CompactSignatures {
    let numPerm: Int
    // Touched by one thread (the index's owner), once or twice per record: no runtime
    // exclusivity checks.
    @exclusivity(unchecked) private var memory: ZeroedMemory?
    /// `capacity` records' values (nothing until the first record).
    @exclusivity(unchecked) private var values = UnsafeMutablePointer<UInt16>(
        bitPattern: MemoryLayout<UInt16>.alignment)!
    @exclusivity(unchecked) private var capacity = 0
    @exclusivity(unchecked) private(set) var count = 0
    private static let perChunk = 4096

    init(numPerm: Int) { self.numPerm = numPerm }

    var bytesHeld: Int { capacity * numPerm * 2 }

    @inline(__always)
    private func base(_ record: Int) -> UnsafeMutablePointer<UInt16> {
        values + record * numPerm
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
        if count == capacity { grow() }
        count += 1
        return base(count - 1)
    }

    /// One chunk more.
    @inline(never)
    private func grow() {
        capacity += Self.perChunk
        let byteCount = capacity * numPerm * MemoryLayout<UInt16>.stride
        if memory == nil {
            memory = ZeroedMemory(byteCount: byteCount)
        } else {
            memory!.grow(to: byteCount)
        }
        values = memory!.base.bindMemory(to: UInt16.self, capacity: capacity * numPerm)
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
        memory?.release()
    }
}
