/// A histogram with fixed bins that do not depend on the data, so that histograms of shards add
/// up bin by bin to the histogram of the whole.
///
/// Bins are exact integers below 32 (`[k, k+1)`), then 16 bins per power of two
/// (`[2^e·(1+j/16), 2^e·(1+(j+1)/16))`), so a bin is never wider than 1/16 of its lower bound.
/// Negative values use the mirrored bins. Quantiles read from it are therefore within one bin of
/// the true value: exact for integers below 32, within 6.25 % above.
public struct LogHistogram: Equatable, Sendable {
    /// Bins per sign; values from 2^67 up fall into the last bin.
    public static let binCount = 1024
    /// Name of the bin layout written into JSON, so that a reader can refuse another layout.
    public static let scheme = "int32_log2x16"

    /// Counts of values ≥ 0 by bin (empty until the first value), as many bins as the largest
    /// value needs (rounded up to a power of two, at least 64): a unit's figures allocate and
    /// merge a few hundred bytes, not 8 KB each. Bins past the end count zero.
    private(set) var positive: [Int] = []
    /// Counts of values < 0 by the bin of their magnitude (held the same way).
    private(set) var negative: [Int] = []

    /// Grows `bins` with zeros to hold bin `index`.
    @inline(__always)
    private static func hold(_ bins: inout [Int], _ index: Int) {
        guard index >= bins.count else { return }
        var count = 64
        while count <= index { count *= 2 }
        bins.append(contentsOf: repeatElement(0, count: Swift.min(count, binCount) - bins.count))
    }

    /// Equal counts in every bin (a bin past the end of either counts zero).
    public static func == (a: LogHistogram, b: LogHistogram) -> Bool {
        sameCounts(a.positive, b.positive) && sameCounts(a.negative, b.negative)
    }

    private static func sameCounts(_ x: [Int], _ y: [Int]) -> Bool {
        for k in 0..<Swift.max(x.count, y.count) where (k < x.count ? x[k] : 0) != (k < y.count ? y[k] : 0) {
            return false
        }
        return true
    }

    public init() {}

    /// The bin of a non-negative integer.
    public static func bin(_ value: Int) -> Int {
        if value < 32 { return value }
        let e = Int.bitWidth - 1 - value.leadingZeroBitCount
        return Swift.min(32 + (e - 5) * 16 + ((value >> (e - 4)) & 15), binCount - 1)
    }

    /// The values below it have their bin in `smallBins`.
    static let smallBinLimit = 1024

    /// `bin(value)` of each value in `0 ..< smallBinLimit`, one byte each (bins up to 111).
    static let smallBins: [UInt8] = (0..<smallBinLimit).map { UInt8(bin($0)) }

    /// The bin of a non-negative finite double.
    public static func bin(_ value: Double) -> Int {
        if value < 32 { return Int(value) }
        guard value.isFinite else { return binCount - 1 }
        let e = Int(value.exponent)
        let sub = Int((value.significand - 1) * 16)
        return Swift.min(32 + (e - 5) * 16 + sub, binCount - 1)
    }

    /// `[lower, upper)` of bin `index` (magnitudes).
    public static func bounds(_ index: Int) -> (lower: Double, upper: Double) {
        if index < 32 { return (Double(index), Double(index + 1)) }
        let e = 5 + (index - 32) / 16
        let j = (index - 32) % 16
        let base = Double(sign: .plus, exponent: e, significand: 1)
        return (base * (1 + Double(j) / 16), base * (1 + Double(j + 1) / 16))
    }

    /// Counts one integer (`times` times).
    public mutating func add(_ value: Int, times: Int = 1) {
        if value >= 0 {
            let index = Self.bin(value)
            Self.hold(&positive, index)
            positive[index] += times
        } else {
            let index = Self.bin(value == Int.min ? Int.max : -value)
            Self.hold(&negative, index)
            negative[index] += times
        }
    }

    /// Counts integers, as many `add(_:)` calls would.
    public mutating func add(contentsOf values: UnsafeBufferPointer<Int>) {
        guard !values.isEmpty else { return }
        guard values.allSatisfy({ $0 >= 0 }) else {
            for value in values { add(value) }
            return
        }
        Self.hold(&positive, Self.bin(values.max()!))
        positive.withUnsafeMutableBufferPointer { bins in
            for value in values { bins[Self.bin(value)] += 1 }
        }
    }

    /// Calls `body` with the bins of values ≥ 0, grown to hold bin `index`, for a caller that
    /// counts many values in the same pass as its other figures (`NumericAccumulator`).
    @inline(__always)
    mutating func withPositiveBins<R>(holding index: Int, _ body: (UnsafeMutableBufferPointer<Int>) -> R) -> R {
        Self.hold(&positive, index)
        return positive.withUnsafeMutableBufferPointer { body($0) }
    }

    /// Counts one finite double.
    public mutating func add(_ value: Double) {
        if value >= 0 {
            let index = Self.bin(value)
            Self.hold(&positive, index)
            positive[index] += 1
        } else {
            let index = Self.bin(-value)
            Self.hold(&negative, index)
            negative[index] += 1
        }
    }

    /// Adds another histogram bin by bin (exact).
    public mutating func merge(_ other: LogHistogram) {
        if !other.positive.isEmpty {
            if positive.isEmpty {
                positive = other.positive
            } else {
                Self.hold(&positive, other.positive.count - 1)
                for k in other.positive.indices { positive[k] += other.positive[k] }
            }
        }
        if !other.negative.isEmpty {
            if negative.isEmpty {
                negative = other.negative
            } else {
                Self.hold(&negative, other.negative.count - 1)
                for k in other.negative.indices { negative[k] += other.negative[k] }
            }
        }
    }

    /// One non-empty bin: `[lower, upper)` (for negative values `(lower, upper]`) and its count.
    public struct Bin: Equatable, Sendable {
        public var lower: Double
        public var upper: Double
        public var count: Int
    }

    /// The non-empty bins from the most negative to the most positive.
    public var bins: [Bin] {
        var result: [Bin] = []
        if !negative.isEmpty {
            for k in stride(from: negative.count - 1, through: 0, by: -1) where negative[k] > 0 {
                let (lower, upper) = Self.bounds(k)
                result.append(Bin(lower: -upper, upper: -lower, count: negative[k]))
            }
        }
        if !positive.isEmpty {
            for k in positive.indices where positive[k] > 0 {
                let (lower, upper) = Self.bounds(k)
                result.append(Bin(lower: lower, upper: upper, count: positive[k]))
            }
        }
        return result
    }

    /// Rebuilds a histogram from its non-empty bins (as written by `bins`).
    public init(bins: [Bin]) {
        for bin in bins where bin.count > 0 {
            if bin.lower < 0 {
                let index = Self.bin(-bin.upper)
                Self.hold(&negative, index)
                negative[index] += bin.count
            } else {
                let index = Self.bin(bin.lower)
                Self.hold(&positive, index)
                positive[index] += bin.count
            }
        }
    }

    /// The value of rank `ceil(q·n)` (nearest rank), read from the bins and kept within
    /// `[minimum, maximum]`: the lower bound of a bin of width 1, else interpolated in the bin.
    public func quantile(_ q: Double, count: Int, minimum: Double, maximum: Double) -> Double? {
        guard count > 0 else { return nil }
        let rank = Swift.max(1, Int((q * Double(count)).rounded(.up)))
        var before = 0
        for bin in bins {
            if before + bin.count >= rank {
                let value: Double
                if bin.upper - bin.lower <= 1 {
                    value = bin.lower < 0 ? bin.upper : bin.lower
                } else {
                    value = bin.lower + (bin.upper - bin.lower) * (Double(rank - before) - 0.5) / Double(bin.count)
                }
                return Swift.min(Swift.max(value, minimum), maximum)
            }
            before += bin.count
        }
        return maximum
    }

    /// `count` equal-width bins over `[minimum, maximum]` for display, each fine bin's count
    /// spread over the display bins it overlaps (integers stay whole when the data are integers).
    public func displayBins(_ count: Int, minimum: Double, maximum: Double, integral: Bool) -> [(
        lower: Double, upper: Double, count: Double
    )] {
        guard minimum <= maximum, count > 0 else { return [] }
        let low = minimum
        var high = maximum
        var width: Double
        if integral {
            high += 1
            width = ((high - low) / Double(count)).rounded(.up)
            width = Swift.max(width, 1)
        } else {
            if high == low { high = low + 1 }
            width = (high - low) / Double(count)
        }
        // A range too wide for a Double (or too narrow to step through at this magnitude) is one bin.
        guard width.isFinite, width > 0, low + width > low, (high - low).isFinite else {
            return [(lower: low, upper: maximum, count: Double(bins.reduce(0) { $0 + $1.count }))]
        }
        let n = Swift.max(1, Swift.min(count + 1, Int(((high - low) / width).rounded(.up))))
        high = low + width * Double(n)
        var result = (0..<n).map { k in (lower: low + width * Double(k), upper: low + width * Double(k + 1), count: 0.0)
        }
        for bin in bins {
            // The fine bin's values lie in its bounds intersected with the data's range.
            let a = Swift.max(bin.lower, low)
            let b = Swift.min(bin.upper, high)
            let span = Swift.max(b - a, 0)
            if span == 0 {
                let position = ((a - low) / width).rounded(.down)
                let k = position.isFinite ? Int(Swift.min(Double(n - 1), Swift.max(0, position))) : n - 1
                result[k].count += Double(bin.count)
                continue
            }
            for k in 0..<n {
                let overlap = Swift.min(b, result[k].upper) - Swift.max(a, result[k].lower)
                if overlap > 0 { result[k].count += Double(bin.count) * overlap / span }
            }
        }
        return result
    }
}
