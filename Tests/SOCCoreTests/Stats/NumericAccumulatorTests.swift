import SOCTestSupport
import Testing

@testable import SOCCore

@Suite struct NumericAccumulatorTests {
    static func values(_ n: Int, seed: UInt64, bound: Int) -> [Int] {
        var rng = SeededNumbers(state: seed)
        return (0..<n).map { _ in rng.next(bound) }
    }

    /// Adding values in one go equals adding them one by one: bins, sums, min, max, and the
    /// switch to Welford's state on overflow, negative values included.
    @Test func addingContentsEqualsAddingEach() {
        let runs: [[Int]] = [
            [], [0], Self.values(500, seed: 7, bound: 5_000), Self.values(300, seed: 9, bound: 40).map { $0 - 20 },
            [3, Int.max / 2, Int.max / 2, 7, -1, 1 << 40], [Int.min, 5, Int.max],
        ]
        for run in runs {
            var each = NumericAccumulator()
            for x in run { each.add(x) }
            var batch = NumericAccumulator()
            run.withUnsafeBufferPointer { batch.add(contentsOf: $0) }
            #expect(batch == each, "\(run.prefix(8))")
        }
    }

    /// The one-pass path (`addInOnePass`: integral, values from 0 to 2^31, sums that cannot
    /// overflow) and its fallbacks, batch after batch, equal adding each value: the floating
    /// sum too, bit for bit, and the bounds 2^31 - 1 (one pass) and 2^31 (not).
    @Test func batchesInARowEqualAddingEach() {
        let batches: [[Int]] = [
            Self.values(200, seed: 3, bound: 100), [(1 << 31) - 1, 0, 31, 32, 33], [1 << 31, 4],
            Self.values(50, seed: 5, bound: 1 << 20), [], [Int.max / 4, 1], Self.values(20, seed: 6, bound: 9),
        ]
        var each = NumericAccumulator()
        var batched = NumericAccumulator()
        for batch in batches {
            for x in batch { each.add(x) }
            batch.withUnsafeBufferPointer { batched.add(contentsOf: $0) }
            #expect(batched == each, "\(batch.prefix(4))")
            #expect(batched.floatingSum.bitPattern == each.floatingSum.bitPattern)
        }
        var nearFull = NumericAccumulator()
        var nearFullEach = NumericAccumulator()
        nearFull.add(Int.max - 10)
        nearFullEach.add(Int.max - 10)
        [1, 2, 3].withUnsafeBufferPointer { nearFull.add(contentsOf: $0) }
        for x in [1, 2, 3] { nearFullEach.add(x) }
        #expect(nearFull == nearFullEach)
    }

    /// The bins of values below `smallBinLimit` read from `smallBins` (the one-pass path when a
    /// batch's largest value is below it) are `bin`'s, and batches on either side of the limit,
    /// exact or not, equal adding each value.
    @Test func smallBinTableEqualsBin() {
        for value in 0..<LogHistogram.smallBinLimit {
            #expect(Int(LogHistogram.smallBins[value]) == LogHistogram.bin(value), "\(value)")
        }
        let limit = LogHistogram.smallBinLimit
        let batches: [[Int]] = [
            [limit - 1, 0, 31, 32, 33], [limit, 5, 0], Self.values(300, seed: 11, bound: limit),
            Self.values(300, seed: 12, bound: 2 * limit), [15, 16, 17, 63, 64, 65],
        ]
        for floating in [0.0, 0.5] {
            let start = NumericAccumulator(
                count: 1, minimum: 0, maximum: 0, integral: true, integerSum: 0, integerSumOfSquares: 0,
                runningMean: 0, m2: 0, floatingSum: floating, histogram: LogHistogram())
            var each = start
            var batched = start
            for batch in batches {
                for x in batch { each.add(x) }
                batch.withUnsafeBufferPointer { batched.add(contentsOf: $0) }
                #expect(batched == each, "\(batch.prefix(4))")
                #expect(batched.floatingSum.bitPattern == each.floatingSum.bitPattern)
            }
        }
    }

    /// The one-pass path takes the floating sum for the integer sum only while they are equal
    /// (and below 2^53): from states read back from a document (`float_sum` other than `sum`,
    /// sums near 2^53) batches added in one go equal adding each value, bit for bit.
    @Test func floatingSumEqualsAddingEachFromAnyState() {
        let states: [(sum: Int, squares: Int, floating: Double)] = [
            (100, 5_000, 100), (100, 5_000, 100.5), (100, 5_000, 99), ((1 << 53) - 60, 1 << 62, Double((1 << 53) - 60)),
            ((1 << 53) - 60, 1 << 62, Double(1 << 53)), (0, 0, -0.0),
        ]
        for state in states {
            let start = NumericAccumulator(
                count: 4, minimum: 0, maximum: 50, integral: true, integerSum: state.sum,
                integerSumOfSquares: state.squares, runningMean: 0, m2: 0, floatingSum: state.floating,
                histogram: LogHistogram())
            var each = start
            var batched = start
            for batch in [[1, 2, 47], [50], [0, 3], [7, 9, 11], [(1 << 20) - 1]] {
                for x in batch { each.add(x) }
                batch.withUnsafeBufferPointer { batched.add(contentsOf: $0) }
                #expect(batched == each, "\(state), \(batch)")
                #expect(batched.floatingSum.bitPattern == each.floatingSum.bitPattern, "\(state), \(batch)")
            }
        }
    }

    /// Histograms hold only the bins their largest value needs: histograms of shards of
    /// different sizes merge to the histogram of the whole, and equal counts compare equal.
    @Test func histogramsOfDifferentLengthsMergeAndCompare() {
        var small = LogHistogram()
        var large = LogHistogram()
        var whole = LogHistogram()
        for x in [0, 3, 31, 40] {
            small.add(x)
            whole.add(x)
        }
        for x in [-5, 7, 1 << 20, Int.max, 12] {
            large.add(x)
            whole.add(x)
        }
        var merged = small
        merged.merge(large)
        #expect(merged == whole)
        var reversed = large
        reversed.merge(small)
        #expect(reversed == whole)
        #expect(LogHistogram(bins: whole.bins) == whole)
        #expect(small != whole)
    }

    @Test func figuresMatchDirectComputation() {
        let xs = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
        var a = NumericAccumulator()
        for x in xs { a.add(x) }
        let mean = Double(xs.reduce(0, +)) / Double(xs.count)
        let variance = xs.map { (Double($0) - mean) * (Double($0) - mean) }.reduce(0, +) / Double(xs.count)
        #expect(a.count == 11)
        #expect(a.minimum == 1)
        #expect(a.maximum == 9)
        #expect(a.sum == 44)
        #expect(abs(a.mean! - mean) < 1e-12)
        #expect(abs(a.standardDeviation! - variance.squareRoot()) < 1e-12)
        // Small integers have bins of width 1: nearest-rank quantiles are exact.
        let sorted = xs.sorted()
        #expect(a.quantile(0.5) == Double(sorted[5]))
        #expect(a.quantile(0.9) == Double(sorted[9]))
        #expect(a.quantile(0.99) == 9)
    }

    @Test func mergeOfHalvesEqualsWhole() {
        let xs = Self.values(10_000, seed: 7, bound: 5_000)
        var whole = NumericAccumulator()
        var first = NumericAccumulator()
        var second = NumericAccumulator()
        for (k, x) in xs.enumerated() {
            whole.add(x)
            if k < 3_333 { first.add(x) } else { second.add(x) }
        }
        first.merge(second)
        #expect(first.count == whole.count)
        #expect(first.sum == whole.sum)
        #expect(first.minimum == whole.minimum && first.maximum == whole.maximum)
        #expect(first.histogram == whole.histogram)
        // Integer data: mean and variance come from exact sums, so they are equal bit for bit.
        #expect(first.mean == whole.mean)
        #expect(first.standardDeviation == whole.standardDeviation)
        #expect(first.quantile(0.9) == whole.quantile(0.9))
    }

    @Test func fractionalValuesUseWelfordAndChan() {
        let xs = Self.values(1_000, seed: 3, bound: 1_000).map { Double($0) / 7 }
        var whole = NumericAccumulator()
        var left = NumericAccumulator()
        var right = NumericAccumulator()
        for (k, x) in xs.enumerated() {
            whole.add(x)
            if k % 2 == 0 { left.add(x) } else { right.add(x) }
        }
        left.merge(right)
        let mean = xs.reduce(0, +) / Double(xs.count)
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)
        #expect(!whole.integral)
        #expect(abs(whole.mean! - mean) < 1e-9)
        #expect(abs(left.mean! - mean) < 1e-9)
        #expect(abs(left.variance! - variance) / variance < 1e-9)
        #expect(left.histogram == whole.histogram)
    }

    @Test func quantilesAreWithinOneBin() {
        let xs = Self.values(5_000, seed: 11, bound: 100_000)
        var a = NumericAccumulator()
        for x in xs { a.add(x) }
        let sorted = xs.sorted()
        for q in [0.1, 0.5, 0.9, 0.99] {
            let exact = Double(sorted[Int((q * Double(xs.count)).rounded(.up)) - 1])
            let (lower, upper) = LogHistogram.bounds(LogHistogram.bin(Int(exact)))
            let estimate = a.quantile(q)!
            #expect(abs(estimate - exact) <= upper - lower, "q=\(q) exact \(exact) estimate \(estimate)")
        }
    }

    @Test func overflowFallsBackToWelford() {
        var a = NumericAccumulator()
        a.add(Int.max / 2)
        a.add(Int.max / 2)
        a.add(3)
        #expect(!a.integral)
        #expect(a.count == 3)
        #expect(a.mean! > 3e18)
    }
}

@Suite struct LogHistogramTests {
    @Test func everyValueLiesInItsBin() {
        var value = 0
        while value < 1 << 40 {
            let (lower, upper) = LogHistogram.bounds(LogHistogram.bin(value))
            #expect(Double(value) >= lower && Double(value) < upper, "\(value) not in [\(lower), \(upper))")
            #expect(LogHistogram.bin(Double(value)) == LogHistogram.bin(value))
            value = value < 100 ? value + 1 : value + value / 3 + 1
        }
        let (lower, upper) = LogHistogram.bounds(LogHistogram.bin(1000.5))
        #expect(1000.5 >= lower && 1000.5 < upper)
        #expect(upper - lower <= lower / 16)
    }

    @Test func binsRoundTrip() {
        var h = LogHistogram()
        for x in [-7, -1000, 0, 1, 31, 32, 33, 999, 123_456] { h.add(x) }
        h.add(-0.5)
        h.add(2.25)
        #expect(LogHistogram(bins: h.bins) == h)
        #expect(h.bins.map(\.count).reduce(0, +) == 11)
    }

    @Test func displayBinsKeepTheCount() {
        var a = NumericAccumulator()
        for x in NumericAccumulatorTests.values(777, seed: 5, bound: 300) { a.add(x) }
        let bins = a.histogram.displayBins(10, minimum: a.minimum, maximum: a.maximum, integral: true)
        #expect(bins.count == 10)
        #expect(abs(bins.map(\.count).reduce(0, +) - 777) < 1e-6)
    }
}
