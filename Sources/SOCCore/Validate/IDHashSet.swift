/// The set of ids soc-validate has accepted, as 128-bit hashes in one open-addressing table.
///
/// Memory per distinct id is what bounds a run over a billion records, so the table is kept
/// dense: 16 bytes per slot, filled up to 90% before it grows by half. Counting the moment of
/// growth, when the old and the new table are both allocated, it never holds more than
/// (1 + 1.5) × 16 / 0.9 ≈ 44.4 bytes per id (Swift's `Set` of the same keys: up to 64).
final class IDHashSet {
    private var slots: UnsafeMutablePointer<Key128>
    private var capacity: Int
    /// Distinct hashes held.
    private(set) var count = 0
    /// The most bytes the table has held at once, growth included (tests check the bound).
    private(set) var peakBytes = 0

    /// The empty-slot marker. A real hash equal to it is stored as `substitute` (a 2⁻¹²⁸ chance).
    private static let empty = Key128(high: 0, low: 0)
    private static let substitute = Key128(high: 0, low: 1)
    private static let maximumLoad = 0.9

    init(capacity: Int = 1024) {
        self.capacity = max(capacity, 16)
        slots = .allocate(capacity: self.capacity)
        slots.initialize(repeating: Self.empty, count: self.capacity)
        peakBytes = self.capacity * MemoryLayout<Key128>.stride
    }

    deinit { slots.deallocate() }

    /// Adds `hash`; false when it was already there.
    func insert(_ hash: Key128) -> Bool {
        let key = hash == Self.empty ? Self.substitute : hash
        if Double(count + 1) > Double(capacity) * Self.maximumLoad { grow() }
        var i = Self.slot(of: key, in: capacity)
        while true {
            let held = slots[i]
            if held == Self.empty {
                slots[i] = key
                count += 1
                return true
            }
            if held == key { return false }
            i += 1
            if i == capacity { i = 0 }
        }
    }

    /// The home slot: the hash's high word scaled onto the table (any size, no modulo).
    private static func slot(of key: Key128, in capacity: Int) -> Int {
        Int(key.high.multipliedFullWidth(by: UInt64(capacity)).high)
    }

    private func grow() {
        let newCapacity = capacity + capacity / 2
        let bigger = UnsafeMutablePointer<Key128>.allocate(capacity: newCapacity)
        bigger.initialize(repeating: Self.empty, count: newCapacity)
        peakBytes = max(peakBytes, (capacity + newCapacity) * MemoryLayout<Key128>.stride)
        for k in 0..<capacity where slots[k] != Self.empty {
            let key = slots[k]
            var i = Self.slot(of: key, in: newCapacity)
            while bigger[i] != Self.empty {
                i += 1
                if i == newCapacity { i = 0 }
            }
            bigger[i] = key
        }
        slots.deallocate()
        slots = bigger
        capacity = newCapacity
    }
}
