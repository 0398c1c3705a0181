/// The accounting every tool keeps: each line read ends in exactly one of written, rejected or
/// removed; `modified` counts written records that a stage changed.
public struct Tally: Sendable {
    public private(set) var read = 0
    public private(set) var written = 0
    public private(set) var rejected = 0
    public private(set) var removed = 0
    public private(set) var modified = 0
    /// Rejections and removals by reason code.
    public private(set) var reasons: [ReasonCode: Int] = [:]

    public init() {}

    mutating func countRead() { read += 1 }
    mutating func countWritten(modified wasModified: Bool) {
        written += 1
        if wasModified { modified += 1 }
    }
    mutating func countRejected(_ code: ReasonCode) {
        rejected += 1
        reasons[code, default: 0] += 1
    }
    mutating func countRemoved(_ code: ReasonCode) {
        removed += 1
        reasons[code, default: 0] += 1
    }

    /// True when the counts add up: read = written + rejected + removed.
    public var isBalanced: Bool { read == written + rejected + removed }
}
