/// What one work unit of scrub changed: counts per step (`ScrubChange.step`, so counting a
/// change hashes no id) and the unit's `--audit` lines.
struct ScrubUnit: WorkUnitResult {
    var counts: [Int] = []
    var auditLines: [UInt8] = []

    /// Counts one change of `step`.
    mutating func add(_ step: Int) {
        if step >= counts.count { counts.append(contentsOf: repeatElement(0, count: step + 1 - counts.count)) }
        counts[step] += 1
    }

    /// The counts of both; the audit lines are not carried over (they are written on absorb).
    func adding(_ other: ScrubUnit) -> ScrubUnit {
        var sum = self
        if other.counts.count > sum.counts.count {
            sum.counts.append(contentsOf: repeatElement(0, count: other.counts.count - sum.counts.count))
        }
        for (step, n) in other.counts.enumerated() { sum.counts[step] += n }
        sum.auditLines = []
        return sum
    }
}
