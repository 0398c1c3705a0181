/// Frequencies of string values (traits, model names, keys) in bounded memory.
///
/// Counts are exact while at most `capacity` distinct values were seen. Beyond that it becomes a
/// Space-Saving summary (Metwally et al.): a new value replaces the least counted one and
/// inherits its count as its possible overcount (`error`), so memory stays at `capacity`
/// entries, every value that occurs more than `total / capacity` times is kept, and a kept
/// count is at most `error` too high. `exact` says which case a figure is in.
///
/// The number of distinct values stays exact past `capacity`: from the first eviction on, every
/// value is also counted by a `DistinctCounter` (an exact set of 64-bit hashes up to 2^20
/// values, written into the JSON so that shards merge exactly, then HyperLogLog).
public struct CategoryCounter: Equatable, Sendable {
    /// One kept value: its count and how much of it may be overcount.
    public struct Entry: Equatable, Sendable {
        public var count: Int
        public var error: Int
    }

    public let capacity: Int
    /// Every value counted (with repeats).
    public private(set) var total = 0
    /// False once a value had to be evicted.
    public private(set) var exact = true
    public private(set) var entries: [String: Entry] = [:]
    /// Distinct values once `exact` is false (nil while the kept entries are all of them).
    public private(set) var overflowDistinct: DistinctCounter?

    public init(capacity: Int = 1000) {
        self.capacity = Swift.max(1, capacity)
    }

    /// Counts one occurrence of `value`.
    public mutating func add(_ value: String, count: Int = 1) {
        total += count
        if overflowDistinct != nil { Self.count(value, into: &overflowDistinct!) }
        if let index = entries.index(forKey: value) {
            entries.values[index].count += count
            return
        }
        if entries.count < capacity {
            entries[value] = Entry(count: count, error: 0)
            return
        }
        if overflowDistinct == nil {
            // The first eviction: the entries are still every value seen.
            overflowDistinct = distinctOfEntries
            Self.count(value, into: &overflowDistinct!)
        }
        exact = false
        let (victim, smallest) = entries.min { a, b in
            a.value.count < b.value.count || (a.value.count == b.value.count && a.key > b.key)
        }!
        entries[victim] = nil
        entries[value] = Entry(count: smallest.count + count, error: smallest.count)
    }

    /// Adds each value's total, as adding its occurrences one by one would, when no value can be
    /// evicted (the counter is exact and every value fits): then the order of the additions does
    /// not change the counts. Returns false, having added nothing, otherwise.
    mutating func addTotals(_ totals: [(value: String, count: Int)]) -> Bool {
        guard exact, overflowDistinct == nil, entries.count + totals.count <= capacity else { return false }
        // Room for every new value at once, not a regrowth (and rehash of the names) per doubling.
        entries.reserveCapacity(entries.count + totals.count)
        for (value, count) in totals { add(value, count: count) }
        return true
    }

    /// Adds another counter's counts (exact when both were exact and the union fits).
    public mutating func merge(_ other: CategoryCounter) {
        total += other.total
        if overflowDistinct != nil || other.overflowDistinct != nil || !exact || !other.exact {
            var distinct = overflowDistinct ?? distinctOfEntries
            distinct.merge(other.overflowDistinct ?? other.distinctOfEntries)
            overflowDistinct = distinct
        } else if entries.count + other.entries.count > capacity,
            Set(entries.keys).union(other.entries.keys).count > capacity
        {
            var distinct = distinctOfEntries
            distinct.merge(other.distinctOfEntries)
            overflowDistinct = distinct
        }
        exact = exact && other.exact
        for (key, entry) in other.entries {
            entries[key, default: Entry(count: 0, error: 0)].count += entry.count
            entries[key]!.error += entry.error
        }
        if entries.count > capacity {
            exact = false
            let kept = sorted.prefix(capacity)
            entries = Dictionary(uniqueKeysWithValues: kept.map { ($0.value, Entry(count: $0.count, error: $0.error)) })
        }
    }

    /// Number of distinct values: exact while `exact`, and past it while `distinctIsExact`.
    public var distinct: Int { overflowDistinct?.distinct ?? entries.count }

    /// Whether `distinct` is an exact count.
    public var distinctIsExact: Bool { overflowDistinct?.isExact ?? true }

    /// A distinct counter holding the kept values (all values while `exact`).
    var distinctOfEntries: DistinctCounter {
        var counter = DistinctCounter()
        for key in entries.keys { Self.count(key, into: &counter) }
        return counter
    }

    private static func count(_ value: String, into counter: inout DistinctCounter) {
        var text = value
        text.withUTF8 { counter.add(UnsafeRawBufferPointer($0)) }
    }

    /// Kept values, most frequent first, ties by value.
    public var sorted: [(value: String, count: Int, error: Int)] {
        entries.map { (value: $0.key, count: $0.value.count, error: $0.value.error) }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
    }

    /// Rebuilds a counter from written fields.
    init(capacity: Int, total: Int, exact: Bool, entries: [String: Entry], overflowDistinct: DistinctCounter? = nil) {
        self.capacity = capacity
        self.total = total
        self.exact = exact
        self.entries = entries
        self.overflowDistinct = overflowDistinct
    }
}
