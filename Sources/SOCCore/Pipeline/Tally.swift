/// The accounting every tool keeps: each line read ends in exactly one of written, rejected or
/// removed; `modified` counts written records that a stage changed.
public struct Tally: Sendable {
    public private(set) var read = 0
    public private(set) var written = 0
    public private(set) var rejected = 0
    public private(set) var removed = 0
    public private(set) var modified = 0
    /// Rejections and removals by reason code.
    public var reasons: [ReasonCode: Int] {
        guard let recent else { return counted }
        var all = counted
        all[recent.code, default: 0] += recent.count
        return all
    }
    private var counted: [ReasonCode: Int] = [:]
    /// Removals by reason code (a subset of `reasons`), so that a report tells removed from
    /// rejected per reason (`soc-stats funnel`).
    public var removedReasons: [ReasonCode: Int] {
        guard let recentRemoval else { return removedCounted }
        var all = removedCounted
        all[recentRemoval.code, default: 0] += recentRemoval.count
        return all
    }
    private var removedCounted: [ReasonCode: Int] = [:]
    private var recentRemoval: (code: ReasonCode, count: Int)?
    /// The code of the last rejections or removals and their number, not yet in `counted`: a run
    /// of lines with one reason costs no hashing per line.
    private var recent: (code: ReasonCode, count: Int)?

    public init() {}

    mutating func countRead() { read += 1 }
    mutating func countWritten(modified wasModified: Bool) {
        written += 1
        if wasModified { modified += 1 }
    }
    mutating func countRejected(_ code: ReasonCode) {
        rejected += 1
        countReason(code)
    }
    mutating func countRemoved(_ code: ReasonCode) {
        removed += 1
        countReason(code)
        // Batched like `recent`: a run of removals with one reason costs no hashing per line.
        if let current = recentRemoval, current.code == code {
            recentRemoval = (code, current.count + 1)
            return
        }
        if let current = recentRemoval { removedCounted[current.code, default: 0] += current.count }
        recentRemoval = (code, 1)
    }

    // Inlined: once per rejected or removed line on the writer (5 M `{}` lines, see LineBatch.swift).
    @inline(__always)
    private mutating func countReason(_ code: ReasonCode) {
        if let current = recent, current.code == code {
            recent = (code, current.count + 1)
            return
        }
        if let current = recent { counted[current.code, default: 0] += current.count }
        recent = (code, 1)
    }

    /// True when the counts add up: read = written + rejected + removed.
    public var isBalanced: Bool { read == written + rejected + removed }
}
