/// The new lines of the records a stage decides in one work unit, one after another, each with
/// its `\n` (`LineDecision.rewritten`). The runner lends the unit's buffer here while the unit is
/// decided (`StageWorker.decide`), so a stage that rebuilds a record writes its new line straight
/// into the unit (`Verdict.written`) rather than into a buffer of its own that is copied after.
public final class LineOutput {
    /// The unit's new lines so far; a stage appends a record's new line and returns its range.
    /// One thread at a time holds it (the one deciding the unit), as `WorkUnit.rewritten`.
    @exclusivity(unchecked) public var bytes: [UInt8] = []

    public init() {}
}
