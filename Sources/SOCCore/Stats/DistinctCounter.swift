#if canImport(Glibc)
    import Glibc
#endif

/// How many distinct ids (persona ids) were seen, in bounded memory.
///
/// Keeps an exact set of 64-bit hashes (XXH3) of up to `exactLimit` ids, and beside it always a
/// HyperLogLog sketch (2^12 one-byte registers, ~1.6 % standard error). The figure is exact
/// while the set did not overflow: the set is written into the JSON output (`HashSetCoding`),
/// so merged shards stay exact while the union of their sets fits; beyond it, the figure is the
/// sketch's estimate. Merging sketches is exact: the register-wise maximum is the sketch of the
/// union. (Two distinct ids share a 64-bit hash with odds ~n²/2^65: 3·10^-8 for a million.)
public struct DistinctCounter: Equatable, Sendable {
    public static let precision = 12
    public static let registerCount = 1 << precision
    /// Most ids kept exactly (8 bytes each, plus the set's overhead): bounds the memory.
    public let exactLimit: Int
    private var hashes: Set<UInt64> = []
    private var overflowed = false
    public private(set) var registers: [UInt8]
    /// Values seen (with repeats).
    public private(set) var seen = 0
    /// The exact count carried by a merged/decoded counter without its set (nil: use the set).
    private var decodedExact: Int?

    public init(exactLimit: Int = 1 << 20) {
        self.exactLimit = exactLimit
        registers = Array(repeating: 0, count: Self.registerCount)
    }

    /// Counts `times` occurrences of one value given as UTF-8 bytes.
    public mutating func add(_ bytes: UnsafeRawBufferPointer, times: Int = 1) {
        add(hash: Self.hash(bytes), times: times)
    }

    /// The hash a value given as UTF-8 bytes is counted by.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 { XXH3.hash64(bytes) }

    /// Counts `times` occurrences of the value whose `hash(_:)` is `hash`.
    mutating func add(hash: UInt64, times: Int = 1) {
        seen += times
        let index = Int(hash >> UInt64(64 - Self.precision))
        let rank = UInt8(Swift.min((hash << UInt64(Self.precision)).leadingZeroBitCount + 1, 64 - Self.precision + 1))
        if rank > registers[index] { registers[index] = rank }
        guard !overflowed else { return }
        hashes.insert(hash)
        if hashes.count > exactLimit {
            overflowed = true
            hashes = []
        }
    }

    /// Makes room in the exact set for `count` more values (capped at `exactLimit`), so that a
    /// batch of additions (a unit's buffered personas) does not regrow the set step by step.
    /// The figures do not change: only the set's storage.
    mutating func reserve(_ count: Int) {
        guard !overflowed, count > 0 else { return }
        hashes.reserveCapacity(Swift.min(hashes.count + count, exactLimit + 1))
    }

    /// True when `distinct` is an exact count.
    public var isExact: Bool { !overflowed }

    /// Distinct values: exact while `isExact`, else the HyperLogLog estimate.
    public var distinct: Int {
        if let decodedExact { return decodedExact }
        if !overflowed { return hashes.count }
        return estimate
    }

    /// The HyperLogLog estimate (with linear counting for small cardinalities).
    public var estimate: Int {
        let m = Double(Self.registerCount)
        var sum = 0.0
        var zeros = 0
        for r in registers {
            sum += 1 / Double(sign: .plus, exponent: Int(r), significand: 1)
            if r == 0 { zeros += 1 }
        }
        let alpha = 0.7213 / (1 + 1.079 / m)
        let raw = alpha * m * m / sum
        if raw <= 2.5 * m && zeros > 0 {
            return Int((m * log(m / Double(zeros))).rounded())
        }
        return Int(raw.rounded())
    }

    /// The exact set's hashes (unordered), or nil once it overflowed (or for a counter read from
    /// a file written without its set).
    public var exactHashes: Set<UInt64>? {
        overflowed || decodedExact != nil ? nil : hashes
    }

    /// Merges another shard's counter: the sketch exactly; the figure stays exact when both
    /// still hold their sets and the union fits, else it becomes the estimate.
    public mutating func merge(_ other: DistinctCounter) {
        guard other.seen > 0 else { return }
        if seen == 0 {
            self = other
            return
        }
        seen += other.seen
        // The register-wise maximum over raw buffers, a branch-free loop the compiler vectorises
        // (both hold `registerCount` registers).
        registers.withUnsafeMutableBufferPointer { mine in
            other.registers.withUnsafeBufferPointer { theirs in
                for k in 0..<Self.registerCount { mine[k] = Swift.max(mine[k], theirs[k]) }
            }
        }
        if !overflowed && !other.overflowed && decodedExact == nil && other.decodedExact == nil {
            hashes.formUnion(other.hashes)
            if hashes.count <= exactLimit { return }
        }
        hashes = []
        overflowed = true
        decodedExact = nil
    }

    /// Rebuilds a counter from written fields with its exact set.
    init(seen: Int, registers: [UInt8], hashes: [UInt64]) {
        self.init(seen: seen, registers: registers, exactDistinct: nil)
        self.hashes = Set(hashes)
        overflowed = self.hashes.count > exactLimit
        if overflowed { self.hashes = [] }
    }

    /// Rebuilds a counter from written fields without a set (files written before the sets
    /// were); `exactDistinct` is the exact figure if it was one.
    init(seen: Int, registers: [UInt8], exactDistinct: Int?) {
        exactLimit = 1 << 20
        self.seen = seen
        self.registers =
            registers.count == Self.registerCount ? registers : Array(repeating: 0, count: Self.registerCount)
        overflowed = exactDistinct == nil
        decodedExact = exactDistinct
    }
}
