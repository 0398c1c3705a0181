/// Bands and rows of the LSH index: `bands × rows ≤ numPerm` chosen to minimise the weighted
/// sum of false positives and false negatives at the threshold.
///
/// Two texts of Jaccard similarity `s` share at least one band with probability
/// `P(s) = 1 − (1 − s^rows)^bands` (the S-curve). The false-positive area is the integral of
/// `P` over `[0, threshold]`, the false-negative area that of `1 − P` over `[threshold, 1]`;
/// like datasketch's `_optimal_param`, every `(bands, rows)` with `bands·rows ≤ numPerm` is
/// tried and the smallest `fpWeight·FP + fnWeight·FN` wins (ties: fewer bands, i.e. less memory).
/// The integrals use composite Simpson's rule on 200 intervals (error far below the gaps
/// between neighbouring choices).
public struct LSHParameters: Sendable, Equatable, CustomStringConvertible {
    public let bands: Int
    public let rows: Int
    /// The weighted false-positive area at the chosen parameters.
    public let falsePositiveArea: Double
    /// The weighted false-negative area at the chosen parameters.
    public let falseNegativeArea: Double

    public init(bands: Int, rows: Int) {
        self.bands = bands
        self.rows = rows
        falsePositiveArea = 0
        falseNegativeArea = 0
    }

    private init(bands: Int, rows: Int, fp: Double, fn: Double) {
        self.bands = bands
        self.rows = rows
        falsePositiveArea = fp
        falseNegativeArea = fn
    }

    public var description: String { "\(bands) bands × \(rows) rows" }

    /// Probability that two texts of similarity `s` share a band.
    public func candidateProbability(_ s: Double) -> Double {
        1 - pow1(1 - pow1(s, rows), bands)
    }

    /// The optimal parameters for `threshold` and `numPerm`.
    public static func optimal(threshold: Double, numPerm: Int, fpWeight: Double = 0.5, fnWeight: Double = 0.5)
        -> LSHParameters
    {
        precondition(threshold > 0 && threshold < 1 && numPerm >= 1)
        for entry in known
        where entry.threshold == threshold && entry.numPerm == numPerm && entry.fpWeight == fpWeight
            && entry.fnWeight == fnWeight
        {
            return entry.answer
        }
        return search(threshold: threshold, numPerm: numPerm, fpWeight: fpWeight, fnWeight: fnWeight)
    }

    /// What `search` answers for soc-dedup's defaults (threshold 0.8, 128 permutations,
    /// `--fn-weight` 0.9, so `fpWeight` is `1 - 0.9`) and for equal weights: every run with them
    /// would search again on its serial start-up, 10.3M instructions (about 3 ms) before the
    /// first record. A test checks each entry against the search, bit for bit.
    static let known: [(threshold: Double, numPerm: Int, fpWeight: Double, fnWeight: Double, answer: LSHParameters)] = [
        (0.8, 128, 1 - 0.9, 0.9, LSHParameters(bands: 14, rows: 9, fp: 0.1007139007708871, fn: 0.003946997446048243)),
        (0.8, 128, 0.5, 0.5, LSHParameters(bands: 9, rows: 13, fp: 0.02531186259317458, fn: 0.03328213600981688)),
    ]

    /// Tries every `(bands, rows)`.
    static func search(threshold: Double, numPerm: Int, fpWeight: Double, fnWeight: Double) -> LSHParameters {
        // Both integrands depend on `rows` only through `1 − s^rows` at the Simpson points, so
        // that is computed once per `rows`; then `(1 − s^rows)^bands` at all the points at once
        // (`powers`: the same multiplications as `pow1`, point by point, so the same sums as
        // evaluating each integrand in full). The run's start-up: 21.9M instructions before,
        // 16.1M with the first change, 10.3M with both.
        let fpPoints = simpsonPoints(0, threshold)
        let fnPoints = simpsonPoints(threshold, 1)
        let fpStep = (threshold - 0) / Double(intervals)
        let fnStep = (1 - threshold) / Double(intervals)
        var fpMiss = [[Double]]()
        var fnMiss = [[Double]]()
        for rows in 1...numPerm {
            fpMiss.append(fpPoints.map { 1 - pow1($0, rows) })
            fnMiss.append(fnPoints.map { 1 - pow1($0, rows) })
        }
        var best: LSHParameters?
        var bestError = Double.infinity
        var power = [Double](repeating: 0, count: intervals + 1)
        var square = [Double](repeating: 0, count: intervals + 1)
        for bands in 1...numPerm {
            for rows in 1...(numPerm / bands) {
                powers(fpMiss[rows - 1], bands, into: &power, scratch: &square)
                let fp = simpson(power, step: fpStep) { 1 - $0 }
                powers(fnMiss[rows - 1], bands, into: &power, scratch: &square)
                let fn = simpson(power, step: fnStep) { $0 }
                let error = fp * fpWeight + fn * fnWeight
                if error < bestError - 1e-15 {
                    bestError = error
                    best = LSHParameters(bands: bands, rows: rows, fp: fp, fn: fn)
                }
            }
        }
        return best!
    }

    /// `pow1(x[i], n)` for every `i`, into `result`: by squaring, as `pow1`, the same
    /// multiplications for every point (so the loops are vector loops).
    private static func powers(_ x: [Double], _ n: Int, into result: inout [Double], scratch: inout [Double]) {
        let count = x.count
        result.withUnsafeMutableBufferPointer { result in
            scratch.withUnsafeMutableBufferPointer { base in
                x.withUnsafeBufferPointer { x in
                    for i in 0..<count {
                        result[i] = 1
                        base[i] = x[i]
                    }
                    var e = n
                    while e > 0 {
                        if e & 1 == 1 { for i in 0..<count { result[i] *= base[i] } }
                        for i in 0..<count { base[i] *= base[i] }
                        e >>= 1
                    }
                }
            }
        }
    }

    /// Composite Simpson's rule on `intervals` intervals.
    private static let intervals = 200

    /// The points at which Simpson's rule evaluates the integrand over `[a, b]`: `a`, then
    /// `a + i·h`, then `b` itself.
    private static func simpsonPoints(_ a: Double, _ b: Double) -> [Double] {
        let h = (b - a) / Double(intervals)
        return [a] + (1..<intervals).map { a + Double($0) * h } + [b]
    }

    /// Simpson's sum of `f` over values `x` given at the points of `simpsonPoints`, `step` apart.
    private static func simpson(_ x: [Double], step h: Double, _ f: (Double) -> Double) -> Double {
        var sum = f(x[0]) + f(x[intervals])
        for i in 1..<intervals { sum += f(x[i]) * (i % 2 == 1 ? 4 : 2) }
        return sum * h / 3
    }
}

/// `x^n` for a small non-negative integer `n`, by squaring (exact and free of libm).
func pow1(_ x: Double, _ n: Int) -> Double {
    var result = 1.0
    var base = x
    var e = n
    while e > 0 {
        if e & 1 == 1 { result *= base }
        base *= base
        e >>= 1
    }
    return result
}
