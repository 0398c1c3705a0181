#if canImport(Glibc)
    import Glibc
#endif

/// The per-persona patterns, compiled on first use and kept in a least-recently-used cache
/// keyed by the persona values, so that chats of the same pair (in either order) reuse them.
final class PersonaRegexCache {
    /// Counters for the report and the bench.
    struct Statistics {
        /// Persona sets looked up.
        var lookups = 0
        /// Lookups that found the set already cached.
        var hits = 0
        /// Patterns compiled (one per rule per persona set that needed it).
        var compiled = 0
        /// Persona sets dropped to stay within capacity.
        var evictions = 0
        /// Time spent compiling, in seconds.
        var compileSeconds = 0.0
    }

    private final class Entry {
        let key: String
        var regexes: [PCRE2Regex?]
        var older: Entry?
        weak var newer: Entry?
        init(key: String, slots: Int) {
            self.key = key
            regexes = Array(repeating: nil, count: slots)
        }
    }

    let capacity: Int
    private let slots: Int
    private var entries: [String: Entry] = [:]
    private var newest: Entry?
    private var oldest: Entry?
    private(set) var statistics = Statistics()

    init(capacity: Int, slots: Int) {
        self.capacity = max(1, capacity)
        self.slots = slots
    }

    /// The compiled pattern of `rule` for `names`.
    func regex(for rule: CompiledRule, names: PersonaNames) -> PCRE2Regex? {
        let entry = lookUp(names.cacheKey)
        if let regex = entry.regexes[rule.slot] { return regex }
        let start = Self.now()
        // Start-up checked that it compiles with placeholders expanded.
        // Matched only on the few strings that pass the pre-checks: not worth the JIT's compile time.
        let regex = rule.compile(for: names, jit: false)
        statistics.compileSeconds += Self.now() - start
        statistics.compiled += 1
        entry.regexes[rule.slot] = regex
        return regex
    }

    private func lookUp(_ key: String) -> Entry {
        statistics.lookups += 1
        if let entry = entries[key] {
            statistics.hits += 1
            moveToFront(entry)
            return entry
        }
        if entries.count >= capacity, let victim = oldest {
            unlink(victim)
            entries[victim.key] = nil
            statistics.evictions += 1
        }
        let entry = Entry(key: key, slots: slots)
        entries[key] = entry
        linkAtFront(entry)
        return entry
    }

    private func moveToFront(_ entry: Entry) {
        guard newest !== entry else { return }
        unlink(entry)
        linkAtFront(entry)
    }

    private func unlink(_ entry: Entry) {
        let newer = entry.newer
        let older = entry.older
        newer?.older = older
        older?.newer = newer
        if newest === entry { newest = older }
        if oldest === entry { oldest = newer }
        entry.older = nil
        entry.newer = nil
    }

    private func linkAtFront(_ entry: Entry) {
        entry.older = newest
        newest?.newer = entry
        newest = entry
        if oldest == nil { oldest = entry }
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
