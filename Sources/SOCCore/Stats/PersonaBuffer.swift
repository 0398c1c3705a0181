/// The persona objects of chats, counted by their exact bytes before their figures are added.
///
/// A dataset's chats draw their personas from a pool, so the same persona object appears in many
/// chats. Adding its figures (category counts keyed by trait strings, the id's hash) costs far
/// more than hashing its bytes; so each appearance only bumps the count of its byte-identical
/// object here (by its slot in the worker's `PersonaFiguresCache`, or by its bytes without one),
/// and each distinct object's figures (`PersonaFigures`, read when it is first noted) are added
/// once, with its count, when the figures are needed (or when `limit` distinct objects are held). Integer sums, bins and category counts do not depend on the order of
/// additions, so the figures are exactly those of reading every appearance.
struct PersonaBuffer: Equatable, Sendable {
    /// Most distinct objects held (their bytes, ~0.5 KB each): bounds the memory.
    static let limit = 4096

    /// The objects noted, in the order first noted: a slot of `cache` (>= 0), or -1 - k for the
    /// k-th object held here (read without the cache).
    private var entries: [Int32] = []
    /// Appearances of each entry.
    private var counts: [Int] = []
    /// The cache the slots of `entries` are in (the one of the first object noted by slot).
    private var cache: PersonaFiguresCache?
    /// The entry of each slot noted: open addressing on the slot number, -1 for an empty position.
    private var entryOfSlot: [Int32] = []
    private var slotEntries = 0

    // The objects held here, by their XXH3 hash.
    private var slots: [UInt64: Int] = [:]
    private var objects: [[UInt8]] = []
    private var figures: [PersonaFigures] = []

    var isEmpty: Bool { entries.isEmpty }

    /// True when objects of `cache` can be noted by slot (`note(slot:cache:)`).
    func accepts(_ cache: PersonaFiguresCache) -> Bool { self.cache == nil || self.cache === cache }

    /// Counts one appearance of the object in `slot` of `cache` (which `accepts`); false when it
    /// cannot be held (the buffer is full), and the caller flushes the buffer.
    mutating func note(slot: Int, cache: PersonaFiguresCache) -> Bool {
        if entryOfSlot.isEmpty { entryOfSlot = Array(repeating: -1, count: 64) }
        let mask = entryOfSlot.count - 1
        var i = slot & mask
        while true {
            let entry = Int(entryOfSlot[i])
            if entry < 0 { break }
            if entries[entry] == Int32(slot) {
                counts[entry] += 1
                return true
            }
            i = (i &+ 1) & mask
        }
        guard entries.count < Self.limit else { return false }
        self.cache = cache
        entryOfSlot[i] = Int32(entries.count)
        entries.append(Int32(slot))
        counts.append(1)
        slotEntries += 1
        if 2 * slotEntries > entryOfSlot.count { rebuildSlotTable(2 * entryOfSlot.count) }
        return true
    }

    private mutating func rebuildSlotTable(_ size: Int) {
        entryOfSlot = Array(repeating: -1, count: size)
        let mask = size - 1
        for (entry, slot) in entries.enumerated() where slot >= 0 {
            var i = Int(slot) & mask
            while entryOfSlot[i] >= 0 { i = (i &+ 1) & mask }
            entryOfSlot[i] = Int32(entry)
        }
    }

    /// Counts one appearance of the object `bytes` (XXH3 `hash`), whose figures `read` gives
    /// (called only for an object not held yet); false when it cannot be held (the buffer is
    /// full, or another object has the same hash), and the caller counts it directly.
    mutating func note(_ bytes: UnsafeRawBufferPointer, hash: UInt64, read: () -> PersonaFigures) -> Bool {
        if let slot = slots[hash] {
            guard objects[slot].withUnsafeBytes({ $0.elementsEqualBytes(bytes) }) else { return false }
            counts[Int(entryOfObject[slot])] += 1
            return true
        }
        guard entries.count < Self.limit else { return false }
        slots[hash] = objects.count
        entryOfObject.append(Int32(entries.count))
        entries.append(-1 - Int32(objects.count))
        counts.append(1)
        objects.append(Array(bytes))
        figures.append(read())
        return true
    }

    /// The entry of each object held here.
    private var entryOfObject: [Int32] = []

    /// The figures of entry `k`.
    private func figures(_ k: Int) -> PersonaFigures {
        let entry = Int(entries[k])
        return entry >= 0 ? cache!.figures(at: entry) : figures[-1 - entry]
    }

    /// The same objects with the same counts, in the same order.
    static func == (a: PersonaBuffer, b: PersonaBuffer) -> Bool {
        a.counts == b.counts && a.entries.indices.allSatisfy { a.figures($0) == b.figures($0) }
    }

    /// Adds every held object's figures, with its count, to `stats`.
    func flush(into stats: inout PersonaStats) {
        guard !entries.isEmpty else { return }
        stats.ids.reserve(entries.count)
        var pending = PendingPersonaValues(capacity: entries.count)
        for k in entries.indices { figures(k).add(to: &stats, times: counts[k], pending: &pending) }
        pending.flush(into: &stats)
        // Trait and model counts are gathered by name first (one category count per name, not
        // one per object and name) when that gives the same counts; else added object by object.
        let (traits, models) = nameTotalsByNumber() ?? nameTotalsByValue()
        if !stats.traits.addTotals(traits) {
            for k in entries.indices {
                let figures = figures(k)
                if figures.traitCount != nil {
                    for trait in figures.traits { stats.traits.add(trait, count: counts[k]) }
                }
            }
        }
        if !stats.models.addTotals(models) {
            for k in entries.indices {
                if let model = figures(k).model { stats.models.add(model, count: counts[k]) }
            }
        }
    }

    private typealias Totals = [(value: String, count: Int)]

    /// The trait and model totals gathered by name (`NameTotals`).
    private func nameTotalsByValue() -> (traits: Totals, models: Totals) {
        var traits = NameTotals(capacity: entries.indices.reduce(0) { $0 + figures($1).traits.count })
        var models = NameTotals(capacity: entries.count)
        for k in entries.indices {
            let figures = figures(k)
            if figures.traitCount != nil { for trait in figures.traits { traits.add(trait, count: counts[k]) } }
            if let model = figures.model { models.add(model, count: counts[k]) }
        }
        return (traits.totals, models.totals)
    }

    /// The trait and model totals gathered by the cache's name numbers, in arrays; nil unless
    /// every entry is in the cache with numbered names, and the names are few enough for this
    /// buffer's arrays to be worth it. (A name is numbered by its UTF-8, so canonically
    /// equivalent spellings may be two totals of equal values: `addTotals` adds both to the one
    /// count, or finds no room for both and the counts are added object by object; either way,
    /// the counts of adding each appearance.)
    private func nameTotalsByNumber() -> (traits: Totals, models: Totals)? {
        guard let cache, slotEntries == entries.count, cache.nameCount <= 8 * entries.count + 256,
            entries.allSatisfy({ cache.isFullyNamed(Int($0)) })
        else { return nil }
        var traitTotals = [Int](repeating: 0, count: cache.nameCount)
        var modelTotals = [Int](repeating: 0, count: cache.nameCount)
        var traitOrder: [Int32] = []
        var modelOrder: [Int32] = []
        for (slot, count) in zip(entries, counts) {
            let slot = Int(slot)
            if cache.figures(at: slot).traitCount != nil {
                for id in cache.traitIDs(at: slot) {
                    if traitTotals[Int(id)] == 0 { traitOrder.append(id) }
                    traitTotals[Int(id)] += count
                }
            }
            let model = cache.modelID(at: slot)
            if model >= 0 {
                if modelTotals[Int(model)] == 0 { modelOrder.append(model) }
                modelTotals[Int(model)] += count
            }
        }
        return (
            traitOrder.map { (cache.name($0), traitTotals[Int($0)]) },
            modelOrder.map { (cache.name($0), modelTotals[Int($0)]) }
        )
    }
}

/// Counts of names gathered in a small open-addressing table keyed by the XXH3 hash of their
/// UTF-8 (a match is confirmed by comparing the strings), names in the order first seen: one
/// category count per name instead of one per occurrence, without Dictionary's SipHash.
private struct NameTotals {
    private var hashes: [UInt64]
    private var slots: [Int32]
    private let mask: Int
    private(set) var totals: [(value: String, count: Int)] = []

    /// A table for at most `capacity` names (it is kept at most half full).
    init(capacity: Int) {
        var size = 16
        while size < 2 * capacity { size *= 2 }
        hashes = Array(repeating: 0, count: size)
        slots = Array(repeating: -1, count: size)
        mask = size - 1
    }

    mutating func add(_ name: String, count: Int) {
        var name = name
        let hash = name.withUTF8 { XXH3.hash64(UnsafeRawBufferPointer($0)) }
        var i = Int(truncatingIfNeeded: hash >> 32) & mask
        while true {
            let slot = Int(slots[i])
            if slot < 0 {
                slots[i] = Int32(totals.count)
                hashes[i] = hash
                totals.append((name, count))
                return
            }
            if hashes[i] == hash && totals[slot].value == name {
                totals[slot].count += count
                return
            }
            i = (i + 1) & mask
        }
    }
}
