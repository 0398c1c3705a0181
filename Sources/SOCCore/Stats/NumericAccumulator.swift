/// n, min, max, sum, mean, standard deviation and a fixed-bin histogram of one numeric figure,
/// in one pass and constant memory, mergeable across shards.
///
/// Two representations of the spread are kept. While every value is an integer and the sums fit
/// in 64 bits, exact integer sums `Σx` and `Σx²` are kept; mean and variance are then computed
/// from them, so merged shards give bit-for-bit the figures of the whole. Once a value is
/// fractional or a sum overflows, Welford's running mean and M2 take over (started from the exact
/// sums, merged by Chan's formula). The integer path needs no division per value. The standard deviation is the population one (divided by n).
public struct NumericAccumulator: Equatable, Sendable {
    public private(set) var count = 0
    public private(set) var minimum = Double.infinity
    public private(set) var maximum = -Double.infinity
    /// Exact `Σx` while `integral`.
    public private(set) var integerSum = 0
    /// Exact `Σx²` while `integral`.
    public private(set) var integerSumOfSquares = 0
    /// True while every value was an integer and the integer sums did not overflow.
    public private(set) var integral = true
    /// Welford's running mean (kept only when not `integral`).
    public private(set) var runningMean = 0.0
    /// Welford's sum of squared deviations from the mean (kept only when not `integral`).
    public private(set) var m2 = 0.0
    /// Floating sum (used when not `integral`).
    public private(set) var floatingSum = 0.0
    public private(set) var histogram = LogHistogram()

    public init() {}

    /// Adds one integer value.
    public mutating func add(_ value: Int) {
        histogram.add(value)
        addOutsideHistogram(value)
    }

    /// Adds integer values in order, as that many `add(_:)` calls would; the bins are counted
    /// in one go (one uniqueness check of their storage instead of one per value).
    public mutating func add(contentsOf values: UnsafeBufferPointer<Int>) {
        if addInOnePass(values) { return }
        histogram.add(contentsOf: values)
        var k = 0
        if integral {
            // The integer path with the state in locals, up to a value whose sums overflow.
            var n = count
            var low = minimum
            var high = maximum
            var sum = floatingSum
            var s = integerSum
            var s2 = integerSumOfSquares
            while k < values.count {
                let value = values[k]
                let (a, o1) = s.addingReportingOverflow(value)
                let (square, o2) = value.multipliedReportingOverflow(by: value)
                let (b, o3) = s2.addingReportingOverflow(square)
                if o1 || o2 || o3 { break }
                let x = Double(value)
                n += 1
                if x < low { low = x }
                if x > high { high = x }
                sum += x
                s = a
                s2 = b
                k += 1
            }
            count = n
            minimum = low
            maximum = high
            floatingSum = sum
            integerSum = s
            integerSumOfSquares = s2
        }
        while k < values.count {
            addOutsideHistogram(values[k])
            k += 1
        }
    }

    /// `add(contentsOf:)` for the common case (integral so far, values from 0 to 2^31 whose sums
    /// cannot overflow, which one pass over their minimum and maximum shows): bins, sums, and the
    /// floating sum (in the same order) in one loop with no overflow checks, instead of a pass for
    /// the bins and another for the sums. False, having added nothing, otherwise.
    private mutating func addInOnePass(_ values: UnsafeBufferPointer<Int>) -> Bool {
        guard integral, !values.isEmpty else { return false }
        var low = Int.max
        var high = Int.min
        for value in values {
            low = Swift.min(low, value)
            high = Swift.max(high, value)
        }
        guard low >= 0, high < 1 << 31 else { return false }
        let n = values.count
        let (bound, o1) = high.multipliedReportingOverflow(by: n)
        let (squareBound, o2) = (high * high).multipliedReportingOverflow(by: n)
        let (_, o3) = integerSum.addingReportingOverflow(bound)
        let (_, o4) = integerSumOfSquares.addingReportingOverflow(squareBound)
        guard !(o1 || o2 || o3 || o4) else { return false }
        // While the floating sum is the integer sum and every partial sum stays below 2^53, each
        // floating addition of these values (whole, 0...2^31) is exact, so the floating sum added
        // in order is the new integer sum: it is not added value by value (two instructions and a
        // 4-cycle dependency a value).
        let exact = integerSum >= 0 && bound < (1 << 53) - integerSum && floatingSum == Double(integerSum)
        let (s, s2, sum) = histogram.withPositiveBins(holding: LogHistogram.bin(high)) {
            [integerSum, integerSumOfSquares, floatingSum] bins in
            // Values below `smallBinLimit` (nearly every batch: words and characters of
            // messages) take their bin from a table: `bin`'s `value < 32` was a mispredicted
            // branch for about one value in seven.
            guard high < LogHistogram.smallBinLimit else {
                return Self.sums(values, bins, integerSum, integerSumOfSquares, floatingSum, exact: exact) {
                    LogHistogram.bin($0)
                }
            }
            return LogHistogram.smallBins.withUnsafeBufferPointer { table in
                Self.sums(values, bins, integerSum, integerSumOfSquares, floatingSum, exact: exact) {
                    Int(table[$0])
                }
            }
        }
        count += n
        if Double(low) < minimum { minimum = Double(low) }
        if Double(high) > maximum { maximum = Double(high) }
        integerSum = s
        integerSumOfSquares = s2
        floatingSum = sum
        return true
    }

    /// `addInOnePass`'s loop: counts `values` into `bins` (each value's bin by `bin`) and
    /// returns the sums `s`, `s2` and `sum` with the values added (`sum` as the integer sum when
    /// `exact`). The sums are the function's own locals, so that they stay in registers.
    @inline(__always)
    private static func sums(
        _ values: UnsafeBufferPointer<Int>, _ bins: UnsafeMutableBufferPointer<Int>, _ s: Int, _ s2: Int,
        _ sum: Double, exact: Bool, bin: (Int) -> Int
    ) -> (Int, Int, Double) {
        var s = s
        var s2 = s2
        if exact {
            for value in values {
                bins[bin(value)] &+= 1
                s &+= value
                s2 &+= value &* value
            }
            return (s, s2, Double(s))
        }
        var sum = sum
        for value in values {
            bins[bin(value)] &+= 1
            s &+= value
            s2 &+= value &* value
            sum += Double(value)
        }
        return (s, s2, sum)
    }

    /// `add(_:)` but for the histogram, which the caller counts.
    @inline(__always)
    private mutating func addOutsideHistogram(_ value: Int) {
        count += 1
        let x = Double(value)
        if x < minimum { minimum = x }
        if x > maximum { maximum = x }
        floatingSum += x
        if integral {
            let (s, o1) = integerSum.addingReportingOverflow(value)
            let (sq, o2) = value.multipliedReportingOverflow(by: value)
            let (s2, o3) = integerSumOfSquares.addingReportingOverflow(sq)
            if !(o1 || o2 || o3) {
                integerSum = s
                integerSumOfSquares = s2
                return
            }
            count -= 1
            leaveIntegral()
            count += 1
        }
        let delta = x - runningMean
        runningMean += delta / Double(count)
        m2 += delta * (x - runningMean)
    }

    /// Switches from exact integer sums to Welford's state, started from the sums so far.
    private mutating func leaveIntegral() {
        guard integral else { return }
        runningMean = count > 0 ? Double(integerSum) / Double(count) : 0
        m2 = (variance ?? 0) * Double(count)
        integral = false
    }

    /// Adds the integer `value` `times` times (as many `add(value)` calls would).
    public mutating func add(_ value: Int, times: Int) {
        guard times > 1 else {
            if times == 1 { add(value) }
            return
        }
        if integral {
            let (s, o1) = value.multipliedReportingOverflow(by: times)
            let (sq, o2) = value.multipliedReportingOverflow(by: value)
            let (sqk, o3) = sq.multipliedReportingOverflow(by: times)
            let (sum, o4) = integerSum.addingReportingOverflow(s)
            let (sum2, o5) = integerSumOfSquares.addingReportingOverflow(sqk)
            if !(o1 || o2 || o3 || o4 || o5) {
                count += times
                let x = Double(value)
                if x < minimum { minimum = x }
                if x > maximum { maximum = x }
                floatingSum += x * Double(times)
                histogram.add(value, times: times)
                integerSum = sum
                integerSumOfSquares = sum2
                return
            }
        }
        for _ in 0..<times { add(value) }
    }

    /// Adds one value; non-finite values are ignored (the caller counts them as missing).
    public mutating func add(_ value: Double) {
        guard value.isFinite else { return }
        if value == value.rounded(), abs(value) < 9.0e15 {
            add(Int(value))
            return
        }
        leaveIntegral()
        count += 1
        if value < minimum { minimum = value }
        if value > maximum { maximum = value }
        floatingSum += value
        let delta = value - runningMean
        runningMean += delta / Double(count)
        m2 += delta * (value - runningMean)
        histogram.add(value)
    }

    /// Adds the figures of another shard: counts, sums, min, max and bins exactly; M2 by Chan's formula.
    public mutating func merge(_ other: NumericAccumulator) {
        guard other.count > 0 else { return }
        guard count > 0 else {
            self = other
            return
        }
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
        floatingSum += other.floatingSum
        histogram.merge(other.histogram)
        if integral && other.integral {
            let (s, o1) = integerSum.addingReportingOverflow(other.integerSum)
            let (s2, o2) = integerSumOfSquares.addingReportingOverflow(other.integerSumOfSquares)
            if !(o1 || o2) {
                count += other.count
                integerSum = s
                integerSumOfSquares = s2
                return
            }
        }
        var other = other
        other.leaveIntegral()
        leaveIntegral()
        // Chan et al.: combine the two (mean, M2) pairs.
        let n = Double(count + other.count)
        let delta = other.runningMean - runningMean
        m2 = m2 + other.m2 + delta * delta * Double(count) * Double(other.count) / n
        runningMean += delta * Double(other.count) / n
        count += other.count
    }

    /// `Σx` (exact while `integral`).
    public var sum: Double { integral ? Double(integerSum) : floatingSum }

    /// The arithmetic mean, or nil without values.
    public var mean: Double? {
        guard count > 0 else { return nil }
        return integral ? Double(integerSum) / Double(count) : runningMean
    }

    /// The population variance, or nil without values.
    public var variance: Double? {
        guard count > 0 else { return nil }
        guard integral else { return Swift.max(m2 / Double(count), 0) }
        // n·Σx² − (Σx)², computed exactly in 128 bits, rounded once.
        let a = count.multipliedFullWidth(by: integerSumOfSquares)
        let b = integerSum.multipliedFullWidth(by: integerSum)
        let (low, borrow) = a.low.subtractingReportingOverflow(b.low)
        let high = a.high - b.high - (borrow ? 1 : 0)
        let numerator = Double(high) * 18_446_744_073_709_551_616.0 + Double(low)
        return Swift.max(numerator / (Double(count) * Double(count)), 0)
    }

    /// The population standard deviation, or nil without values.
    public var standardDeviation: Double? { variance.map { $0.squareRoot() } }

    /// The quantile `q` (0…1) from the histogram: within one bin of the exact value.
    /// Integer data give an integer (the interpolated value rounded, still within the bin).
    public func quantile(_ q: Double) -> Double? {
        guard let value = histogram.quantile(q, count: count, minimum: minimum, maximum: maximum) else { return nil }
        return integral ? value.rounded() : value
    }
}

extension NumericAccumulator {
    /// Rebuilds an accumulator from the fields it writes (for merging shard outputs).
    init(
        count: Int, minimum: Double, maximum: Double, integral: Bool, integerSum: Int, integerSumOfSquares: Int,
        runningMean: Double, m2: Double, floatingSum: Double, histogram: LogHistogram
    ) {
        self.count = count
        self.minimum = count > 0 ? minimum : .infinity
        self.maximum = count > 0 ? maximum : -.infinity
        self.integral = integral
        self.integerSum = integerSum
        self.integerSumOfSquares = integerSumOfSquares
        self.runningMean = runningMean
        self.m2 = m2
        self.floatingSum = floatingSum
        self.histogram = histogram
    }
}
