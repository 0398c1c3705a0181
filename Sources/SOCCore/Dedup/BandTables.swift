import CSystem

/// The LSH index's band tables: per band, an open-addressing multimap from a 32-bit band hash
/// to record indices. Slots pack `hash << 32 | (record + 1)` so that 0 means empty; linear
/// probing; every band holds every indexed record, so the bands share one count and grow
/// together (doubling at half full), and live in one `calloc`ed block, band after band.
///
/// Nothing is ever deleted, so the first empty slot on a hash's probe chain is both where a
/// lookup stops and where an insert of that hash goes: `lookUp` remembers it, and `insert`
/// puts a record whose hashes were just looked up there without walking the chains again.
///
/// Why not an array of per-band structs over `[UInt64]`: the ordered probe and insert touch
/// every band for every record, and each band then cost a uniqueness check, a growth check and
/// a retain; fresh zeroed pages also come without a `memset` pass when the tables double. A
/// class: the index that owns it is never copied.
final class BandTables {
    /// Number of bands.
    let bands: Int
    // Touched by one thread (the index's owner) many times per record: no runtime
    // exclusivity checks.
    @exclusivity(unchecked) private var slots: UnsafeMutablePointer<UInt64>
    @exclusivity(unchecked) private var memory: ZeroedMemory
    /// One band's entries, packed aside while the tables double.
    @exclusivity(unchecked) private var scratch = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    @exclusivity(unchecked) private var scratchCapacity = 1
    /// Slots per band (a power of two).
    @exclusivity(unchecked) private(set) var capacity: Int
    /// Records stored (in every band).
    @exclusivity(unchecked) private(set) var count = 0
    /// Per band: the slot that ended `lookUp`'s last walk, and `count << 32 | hash` of that
    /// walk (the count of records then, below 2³¹: `UInt64.max` matches no insert).
    private let chainEnds: UnsafeMutablePointer<Int>
    private let lookedUp: UnsafeMutablePointer<UInt64>

    /// Empty tables of `capacity` slots (a power of two) for each of `bands` bands.
    init(bands: Int, capacity: Int = 1024) {
        precondition(bands >= 1 && capacity >= 2 && capacity & (capacity - 1) == 0)
        self.bands = bands
        self.capacity = capacity
        memory = ZeroedMemory(byteCount: bands * capacity * MemoryLayout<UInt64>.stride)
        slots = memory.base.bindMemory(to: UInt64.self, capacity: bands * capacity)
        chainEnds = .allocate(capacity: bands)
        chainEnds.initialize(repeating: 0, count: bands)
        // `count << 32 | hash` with a count no table reaches: no band was looked up.
        lookedUp = .allocate(capacity: bands)
        lookedUp.initialize(repeating: UInt64.max, count: bands)
    }

    deinit {
        memory.release()
        scratch.deallocate()
        chainEnds.deallocate()
        lookedUp.deallocate()
    }

    /// Bytes of slots held.
    var bytesHeld: Int { bands * capacity * MemoryLayout<UInt64>.stride }

    @inline(__always)
    private static func home(_ hash: UInt32, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(hash) &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    @inline(__always)
    private static func place(_ entry: UInt64, in table: UnsafeMutablePointer<UInt64>, mask: Int) {
        var i = home(UInt32(truncatingIfNeeded: entry >> 32), mask)
        while table[i] != 0 { i = (i + 1) & mask }
        table[i] = entry
    }

    /// Stores `record` under `hashes[band]` in each band (`bands` hashes). A band whose hash
    /// `lookUp` walked last, with nothing inserted since, takes the empty slot that ended that
    /// walk; the others walk their chains.
    func insert(_ hashes: UnsafePointer<UInt32>, record: UInt32) {
        var reuse = true
        if (count + 1) * 2 > capacity {
            // The tables double: the ends found before are no longer the chains' ends.
            grow()
            reuse = false
        }
        let mask = capacity - 1
        let tag = UInt64(record &+ 1)
        let current = UInt64(truncatingIfNeeded: count) << 32
        for band in 0..<bands {
            let table = slots + band * capacity
            let hash = hashes[band]
            let entry = UInt64(hash) << 32 | tag
            if reuse && lookedUp[band] == current | UInt64(hash) {
                let end = chainEnds[band]
                assert(table[end] == 0 && end == forEach(band: band, hash) { _ in })
                table[end] = entry
            } else {
                Self.place(entry, in: table, mask: mask)
            }
        }
        count += 1
    }

    /// `insert` of `hashes` (one per band).
    func insert(_ hashes: [UInt32], record: UInt32) {
        precondition(hashes.count == bands)
        hashes.withUnsafeBufferPointer { insert($0.baseAddress!, record: record) }
    }

    /// `forEach`, remembering where the chain ended so that an `insert` of the same hash in
    /// this band, before any other insert, puts the record there without walking the chain.
    ///
    /// The chain's first four slots are tested at once (`soc_probe4`): which of them ends the
    /// chain, and which hold `hash`, as bits. Slot by slot (`forEach`), the test that ended the
    /// chain was mispredicted about once in two probes: on the 100 MB bench file (250K probes,
    /// `--threads 1`) 16.04M mispredicts in all before, 15.71M after, for 8M more instructions
    /// (cost 808.0 -> 804.8). A chain runs past four slots only in a crowded stretch of a table.
    @inline(__always)
    func lookUp(band: Int, _ hash: UInt32, _ body: (Int) -> Void) {
        precondition(band >= 0 && band < bands)
        let table = slots + band * capacity
        let mask = capacity - 1
        let start = Self.home(hash, mask)
        var end: Int
        if start &+ 4 <= capacity {
            let bits = soc_probe4(table + start, hash)
            // Twice the index of the first empty slot of the four, or 8 when none is.
            let stop = Int(truncatingIfNeeded: (bits & 0x55 | 0x100).trailingZeroBitCount)
            var matches = bits & 0xAA & ((1 &<< UInt32(truncatingIfNeeded: stop)) &- 1)
            while matches != 0 {
                let k = Int(truncatingIfNeeded: matches.trailingZeroBitCount &>> 1)
                body(Int(truncatingIfNeeded: table[start &+ k] & 0xFFFF_FFFF) &- 1)
                matches &= matches &- 1
            }
            if stop < 8 {
                end = start &+ stop &>> 1
            } else {
                end = Self.walk(table, from: (start &+ 4) & mask, mask: mask, hash, body)
            }
        } else {
            end = Self.walk(table, from: start, mask: mask, hash, body)
        }
        chainEnds[band] = end
        lookedUp[band] = UInt64(truncatingIfNeeded: count) << 32 | UInt64(hash)
    }

    /// Asks for the home slots of `hashes` (one per band) to be brought into the cache: the
    /// next record's, while this one is judged (the tables are larger than the cache, and a
    /// lookup's first slot is a miss).
    @inline(__always)
    func prefetch(_ hashes: UnsafePointer<UInt32>) {
        let mask = capacity - 1
        for band in 0..<bands { soc_prefetch_for_write(slots + band * capacity + Self.home(hashes[band], mask)) }
    }

    /// The rest of a chain from slot `i`, slot by slot: `body` for each record under `hash`;
    /// returns the empty slot that ends it.
    @inline(__always)
    private static func walk(
        _ table: UnsafeMutablePointer<UInt64>, from i: Int, mask: Int, _ hash: UInt32, _ body: (Int) -> Void
    ) -> Int {
        var i = i
        while true {
            let entry = table[i]
            if entry == 0 { return i }
            if UInt32(truncatingIfNeeded: entry >> 32) == hash {
                body(Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1)
            }
            i = (i + 1) & mask
        }
    }

    /// Doubles every band in place: the block grows (its new half zero), then band by band,
    /// last to first, the band's entries are packed aside and placed again at its new offset,
    /// which never overlaps a band not yet moved. So the tables touch no memory but their final
    /// size (and one band's entries), not a new block per doubling.
    private func grow() {
        let oldCapacity = capacity
        capacity *= 2
        memory.grow(to: bands * capacity * MemoryLayout<UInt64>.stride)
        slots = memory.base.bindMemory(to: UInt64.self, capacity: bands * capacity)
        if scratchCapacity < oldCapacity {
            scratch.deallocate()
            scratch = .allocate(capacity: oldCapacity)
            scratchCapacity = oldCapacity
        }
        // The old bands end here: past it the block is still zero (its new half, and no band
        // moved so far reaches below its own new offset), so a band's new slots are cleared only
        // as far as they overlap the old bands (half the bands clear none: 14.4M instructions of
        // `memset` and 225K first-level write misses on the 100 MB bench file, before).
        let oldEnd = bands * oldCapacity
        for band in (0..<bands).reversed() {
            let from = slots + band * oldCapacity
            let to = slots + band * capacity
            // The band's entries first packed into the scratch band without a branch (which
            // slots are taken is random: `where scratch[k] != 0` was mispredicted 405K times on
            // the 100 MB bench file), read where they stand (a copy of the whole band before,
            // then packed in place: 7.1M instructions of `memcpy` on that file), then placed in
            // the same order as before.
            var taken = 0
            for k in 0..<oldCapacity {
                let entry = from[k]
                scratch[taken] = entry
                // `entry | -entry` has its top bit set when `entry` is not 0 (`entry != 0 ? 1 : 0`
                // compiled to the branch again).
                taken &+= Int(truncatingIfNeeded: (entry | (0 &- entry)) &>> 63)
            }
            let stale = min(capacity, max(0, oldEnd - band * capacity))
            if stale > 0 { to.update(repeating: 0, count: stale) }
            for k in 0..<taken { Self.place(scratch[k], in: to, mask: capacity - 1) }
        }
    }

    /// Calls `body` with every record stored under `hash` in band `band`, in probe-chain order;
    /// returns the empty slot that ended the chain (where `insert` may put the next record).
    @discardableResult
    @inline(__always)
    func forEach(band: Int, _ hash: UInt32, _ body: (Int) -> Void) -> Int {
        precondition(band >= 0 && band < bands)
        let mask = capacity - 1
        return Self.walk(slots + band * capacity, from: Self.home(hash, mask), mask: mask, hash, body)
    }
}
