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

    /// Counts one change of each of the `count` steps packed a byte each in `word` (low byte
    /// first, as `ScrubSteps` packs them), through one pointer: counting them one `add` at a
    /// time checked the array's uniqueness per step (~60 instructions per changed message;
    /// callgrind, bench/data/soc_realistic.jsonl, --threads 1).
    mutating func add(packed word: UInt64, count: Int) {
        var top = 0
        var rest = word
        for _ in 0..<count {
            top = max(top, Int(rest & 0xFF))
            rest >>= 8
        }
        if count > 0 && top >= counts.count {
            counts.append(contentsOf: repeatElement(0, count: top + 1 - counts.count))
        }
        counts.withUnsafeMutableBufferPointer { counts in
            var rest = word
            for _ in 0..<count {
                counts[Int(rest & 0xFF)] += 1
                rest >>= 8
            }
        }
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
