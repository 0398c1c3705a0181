#if canImport(Glibc)
    import Glibc
#endif

/// The persona values made so far by any thread of a run, by the bytes of the persona's name
/// and username (as `PersonaValueCache` keys them). Making a persona's values (splitting,
/// case folding and normalizing its names) costs far more than finding them, and with N
/// worker threads each would otherwise make every persona's values N times. The values depend
/// only on those bytes, so which thread made them first cannot change any result. Each thread
/// keeps its own `PersonaValueCache` in front of this table and comes here only for a persona
/// it has not seen yet, so the lock is taken about once per persona per thread.
final class PersonaValueTable: @unchecked Sendable {
    private var table: [Int: (source: [UInt8], values: PersonaValues)] = [:]
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
        // A persona bank's size up front: growing the table rehashes every entry made so far.
        table.reserveCapacity(8192)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// The values stored for `source` (whose hash is `hash`), or those `make` gives, stored
    /// for the other threads. `make` runs without the lock (two threads may both make a new
    /// persona's values; they are equal, and the first stored is kept).
    func values(hash: Int, source: [UInt8], make: () -> PersonaValues) -> PersonaValues {
        if let found = find(hash, source) { return found }
        let made = make()
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if let entry = table[hash], entry.source == source { return entry.values }
        // Bounded as the per-thread caches are (a persona bank has a few thousand personas).
        if table.count >= 50_000 { table.removeAll() }
        if table[hash] == nil { table[hash] = (source, made) }
        return made
    }

    private func find(_ hash: Int, _ source: [UInt8]) -> PersonaValues? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard let entry = table[hash], entry.source == source else { return nil }
        return entry.values
    }
}
