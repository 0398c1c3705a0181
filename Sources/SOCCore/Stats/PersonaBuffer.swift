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
        for (figures, count) in zip(figures, counts) { figures.add(to: &stats, times: count) }
    }
}
