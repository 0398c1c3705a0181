/// What a scrub run reports: the counts of `--report` (the same for any number of threads) and
/// the compilation figures of `--timings` (which are not).
extension ScrubStage {
    /// `changes` per rule id (in rule order, then the built-in steps), `dropped_messages`,
    /// `dropped_parts`, `merged_parts` and the rules in effect: the same for any number of
    /// threads (compilation counts and times, which are not, are `timingLines`).
    public var reportExtras: [(String, JSONValue)] {
        let order =
            engine.ruleIDs + [
                BuiltInStep.trim, BuiltInStep.dropEmptyMessage, BuiltInStep.dropEmptyPart, BuiltInStep.mergeParts,
            ]
        let changes = self.changes
        let counted = order.filter { changes[$0] != nil }.map { ($0, JSONValue.number(JSONNumber(changes[$0]!))) }
        return [
            ("changes", .object(counted)),
            ("dropped_messages", .number(JSONNumber(changes[BuiltInStep.dropEmptyMessage] ?? 0))),
            ("dropped_parts", .number(JSONNumber(changes[BuiltInStep.dropEmptyPart] ?? 0))),
            ("merged_parts", .number(JSONNumber(changes[BuiltInStep.mergeParts] ?? 0))),
            ("rules", .array(engine.ruleIDs.map { .string($0) })),
        ]
    }

    /// What compiling rules cost over every thread's engine: patterns compiled at start and per
    /// persona set, cache hits, seconds (they depend on which thread saw which records, so they
    /// are timings, not report figures).
    public func timingLines(workers: [RecordStage]) -> [String] {
        [compileStatistics(workers: workers).summary]
    }

    /// The compilations of this stage's engine and its workers'.
    public func compileStatistics(workers: [RecordStage]) -> ScrubEngine.CompileStatistics {
        ScrubEngine.compileStatistics([engine] + workers.compactMap { ($0 as? ScrubStage)?.engine })
    }
}
