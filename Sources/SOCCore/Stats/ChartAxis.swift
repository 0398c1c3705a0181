#if canImport(Glibc)
    import Glibc
#endif

/// A chart axis: maps values to positions, linearly or on a log scale, and picks round tick
/// values (1, 2, 5 × 10^k) so that a reader can read counts and values off the chart.
struct ChartAxis {
    /// The values at the two ends of the axis.
    var low: Double
    var high: Double
    /// Log10 scale (for figures spanning more than two decades); `low` is then > 0.
    var logarithmic: Bool
    /// The positions (pixels) of `low` and `high`.
    var start: Double
    var end: Double

    /// The position of `value`, clamped to the axis.
    func position(_ value: Double) -> Double {
        let fraction: Double
        if logarithmic {
            let v = Swift.max(value, low)
            fraction = (log10(v) - log10(low)) / Swift.max(log10(high) - log10(low), 1e-12)
        } else {
            fraction = (value - low) / Swift.max(high - low, 1e-12)
        }
        return start + (end - start) * Swift.min(Swift.max(fraction, 0), 1)
    }

    /// Round values between `low` and `high` to label: about `target` of them on a linear axis;
    /// on a log axis the powers of ten (with 2 and 5 between them when there are few decades).
    func ticks(target: Int = 6) -> [Double] {
        if logarithmic {
            let first = Int(floor(log10(low)))
            let last = Int(ceil(log10(high)))
            let decades = last - first
            var out: [Double] = []
            for e in first...last {
                let power = pow(10, Double(e))
                for m in decades <= 2 ? [1.0, 2, 5] : [1.0] {
                    let v = m * power
                    if v >= low * (1 - 1e-9) && v <= high * (1 + 1e-9) { out.append(v) }
                }
            }
            return out
        }
        let step = Self.niceStep((high - low) / Double(Swift.max(target - 1, 1)))
        guard step > 0, step.isFinite else { return [low] }
        var out: [Double] = []
        var v = (low / step).rounded(.up) * step
        while v <= high + step * 1e-9 && out.count < 50 {
            out.append(v == 0 ? 0 : v)  // no -0
            v += step
        }
        return out
    }

    /// The smallest of 1, 2, 2.5, 5 × 10^k that is at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, floor(log10(raw)))
        for m in [1.0, 2, 2.5, 5, 10] where m * power >= raw * (1 - 1e-9) { return m * power }
        return 10 * power
    }

    /// A short tick label: 1.5k, 20k, 3M, 0.25.
    static func label(_ value: Double) -> String {
        let magnitude = abs(value)
        let sign = value < 0 ? "-" : ""
        for (scale, suffix) in [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")] where magnitude >= scale {
            return sign + ReportContent.decimal((magnitude / scale * 10).rounded() / 10) + suffix
        }
        return sign + ReportContent.decimal(magnitude)
    }
}
