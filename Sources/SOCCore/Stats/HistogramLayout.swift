#if canImport(Glibc)
    import Glibc
#endif

/// How a numeric figure is drawn, decided from its fixed bins alone (so that merged shards draw
/// the same chart as the whole):
/// - `constant`: min = max, said in words rather than drawn as one full-width bar;
/// - `discrete`: integers over at most 30 values, one bar per value;
/// - `linear`: equal-width bins over [min, max];
/// - `logarithmic`: when the positive values span more than two decades, bins of equal width
///   in log10, with zero and negative values in bins of their own at the left.
struct HistogramLayout {
    enum Scale: Equatable { case constant, discrete, linear, logarithmic }

    /// One drawn bar: `[lower, upper)` of the value axis and its count (fractional when a fine
    /// bin is spread over two display bins). A `special` bar (zero, negatives) stands apart from
    /// the log axis and is labelled `label`.
    struct Bar: Equatable {
        var lower: Double
        var upper: Double
        var count: Double
        var label: String
        var special: Bool = false
    }

    var scale: Scale
    var bars: [Bar]
    /// The value axis (of the non-special bars).
    var low: Double
    var high: Double

    /// The largest number of bins a chart has; few enough to stay readable at 360 px.
    static let maximumBars = 14
    /// Integers over at most this many values get a bar each.
    static let maximumDiscreteValues = 30

    init(_ a: NumericAccumulator) {
        bars = []
        low = a.minimum
        high = a.maximum
        scale = .linear
        guard a.count > 0 else { return }
        if a.minimum == a.maximum {
            scale = .constant
            return
        }
        let fine = a.histogram.bins
        // The smallest positive value: the minimum, or else the lower bound of the first fine bin
        // from 1 up (fine bins are whole numbers below 32, so [0, 1) holds zeros and fractions).
        let smallestPositive = a.minimum > 0 ? a.minimum : fine.first { $0.lower >= 1 }?.lower
        if a.integral && a.maximum - a.minimum < Double(Self.maximumDiscreteValues) {
            scale = .discrete
            high = a.maximum + 1
            bars = a.histogram.displayBins(
                Int(a.maximum - a.minimum) + 1, minimum: a.minimum, maximum: a.maximum, integral: true
            ).map { Bar(lower: $0.lower, upper: $0.upper, count: $0.count, label: ReportContent.decimal($0.lower)) }
            return
        }
        if let smallest = smallestPositive, smallest > 0, a.maximum / smallest > 100 {
            self = HistogramLayout(logarithmic: a, fine: fine, from: smallest)
            return
        }
        bars = a.histogram.displayBins(10, minimum: a.minimum, maximum: a.maximum, integral: a.integral).map {
            Bar(lower: $0.lower, upper: $0.upper, count: $0.count, label: "")
        }
        high = bars.last?.upper ?? a.maximum
        low = bars.first?.lower ?? a.minimum
    }

    /// Log10 bins from `from` (the smallest positive value's bin) to the maximum; values below it
    /// (zeros, negatives) go to bars of their own.
    private init(logarithmic a: NumericAccumulator, fine: [LogHistogram.Bin], from smallest: Double) {
        scale = .logarithmic
        bars = []
        low = smallest
        high = a.integral ? a.maximum + 1 : a.maximum
        var negatives = 0
        var zeros = 0
        var positive: [LogHistogram.Bin] = []
        for bin in fine {
            if bin.lower < 0 {
                negatives += bin.count
            } else if bin.upper <= smallest || (a.integral && bin.lower == 0) {
                zeros += bin.count
            } else {
                positive.append(bin)
            }
        }
        if negatives > 0 {
            bars.append(Bar(lower: a.minimum, upper: 0, count: Double(negatives), label: "< 0", special: true))
        }
        if zeros > 0 {
            bars.append(
                Bar(
                    lower: 0, upper: smallest, count: Double(zeros),
                    label: a.integral ? "0" : "< \(ChartAxis.label(smallest))", special: true))
        }
        let decades = log10(high) - log10(low)
        // About 4 bins per decade, at most `maximumBars`.
        let count = Swift.max(4, Swift.min(Self.maximumBars, Int((decades * 4).rounded(.up))))
        let step = decades / Double(count)
        var edges = (0...count).map { pow(10, log10(low) + step * Double($0)) }
        edges[0] = low
        edges[count] = high
        var counts = Array(repeating: 0.0, count: count)
        for bin in positive {
            // A fine bin (1/16 of its value wide) is spread over the display bins it overlaps,
            // in proportion to the overlap, like `LogHistogram.displayBins`.
            let a0 = Swift.max(bin.lower, low)
            let b0 = Swift.min(bin.upper, high)
            if b0 <= a0 {
                let k = Swift.min(count - 1, Swift.max(0, Int((log10(Swift.max(a0, low)) - log10(low)) / step)))
                counts[k] += Double(bin.count)
                continue
            }
            for k in 0..<count {
                let overlap = Swift.min(b0, edges[k + 1]) - Swift.max(a0, edges[k])
                if overlap > 0 { counts[k] += Double(bin.count) * overlap / (b0 - a0) }
            }
        }
        for k in 0..<count {
            bars.append(Bar(lower: edges[k], upper: edges[k + 1], count: counts[k], label: ""))
        }
    }
}
