/// The persona objects of chats, counted by their exact bytes before their figures are taken.
///
/// A dataset's chats draw their personas from a pool, so the same persona object appears in many
/// chats. Reading its members, creating its trait strings and hashing them costs far more than
/// hashing its bytes; so each appearance only bumps the count of its byte-identical object here,
/// and each distinct object is read once, with its count, when the figures are needed (or when
/// `limit` distinct objects are held). Integer sums, bins and category counts do not depend on
/// the order of additions, so the figures are exactly those of reading every appearance.
struct PersonaBuffer: Equatable, Sendable {
    /// Most distinct objects held (their bytes, ~0.5 KB each): bounds the memory.
    static let limit = 4096

    private var slots: [UInt64: Int] = [:]
    private var objects: [[UInt8]] = []
    private var counts: [Int] = []

    var isEmpty: Bool { objects.isEmpty }

    /// Counts one appearance of the object `bytes`; false when it cannot be held (the buffer is
    /// full, or another object has the same hash), and the caller counts it directly.
    mutating func note(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let hash = XXH3.hash64(bytes)
        if let slot = slots[hash] {
            guard objects[slot].withUnsafeBytes({ $0.elementsEqualBytes(bytes) }) else { return false }
            counts[slot] += 1
            return true
        }
        guard objects.count < Self.limit else { return false }
        slots[hash] = objects.count
        objects.append(Array(bytes))
        counts.append(1)
        return true
    }

    /// Adds every held object, with its count, to `stats`.
    func flush(into stats: inout PersonaStats) {
        guard !objects.isEmpty else { return }
        let parser = JSONParser()
        for (object, count) in zip(objects, counts) {
            object.withUnsafeBytes { raw in
                // The bytes were part of a validated line: they parse.
                if case .success(let document) = parser.parse(raw) {
                    stats.add(document, persona: document.root, times: count)
                }
            }
        }
    }
}
