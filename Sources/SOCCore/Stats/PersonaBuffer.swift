/// The persona objects of chats, counted by their exact bytes before their figures are added.
///
/// A dataset's chats draw their personas from a pool, so the same persona object appears in many
/// chats. Adding its figures (category counts keyed by trait strings, the id's hash) costs far
/// more than hashing its bytes; so each appearance only bumps the count of its byte-identical
/// object here, and each distinct object's figures (`PersonaFigures`, read when it is first
/// noted) are added once, with its count, when the figures are needed (or when `limit` distinct
/// objects are held). Integer sums, bins and category counts do not depend on the order of
/// additions, so the figures are exactly those of reading every appearance.
struct PersonaBuffer: Equatable, Sendable {
    /// Most distinct objects held (their bytes, ~0.5 KB each): bounds the memory.
    static let limit = 4096

    private var slots: [UInt64: Int] = [:]
    private var objects: [[UInt8]] = []
    private var figures: [PersonaFigures] = []
    private var counts: [Int] = []

    var isEmpty: Bool { objects.isEmpty }

    /// Counts one appearance of the object `bytes` (XXH3 `hash`), whose figures `read` gives
    /// (called only for an object not held yet); false when it cannot be held (the buffer is
    /// full, or another object has the same hash), and the caller counts it directly.
    mutating func note(_ bytes: UnsafeRawBufferPointer, hash: UInt64, read: () -> PersonaFigures) -> Bool {
        if let slot = slots[hash] {
            guard objects[slot].withUnsafeBytes({ $0.elementsEqualBytes(bytes) }) else { return false }
            counts[slot] += 1
            return true
        }
        guard objects.count < Self.limit else { return false }
        slots[hash] = objects.count
        objects.append(Array(bytes))
        figures.append(read())
        counts.append(1)
        return true
    }

    /// Adds every held object's figures, with its count, to `stats`.
    func flush(into stats: inout PersonaStats) {
        guard !figures.isEmpty else { return }
        // Trait and model counts are gathered by name first (one category count per name, not
        // one per object and name) when that gives the same counts; else added object by object.
        var traits = NameTotals(capacity: figures.reduce(0) { $0 + $1.traits.count })
        var models = NameTotals(capacity: figures.count)
        for (figures, count) in zip(figures, counts) {
            figures.add(to: &stats, times: count, categories: false)
            if figures.traitCount != nil { for trait in figures.traits { traits.add(trait, count: count) } }
            if let model = figures.model { models.add(model, count: count) }
        }
        if !stats.traits.addTotals(traits.totals) {
            for (figures, count) in zip(figures, counts) where figures.traitCount != nil {
                for trait in figures.traits { stats.traits.add(trait, count: count) }
            }
        }
        if !stats.models.addTotals(models.totals) {
            for (figures, count) in zip(figures, counts) {
                if let model = figures.model { stats.models.add(model, count: count) }
            }
        }
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
