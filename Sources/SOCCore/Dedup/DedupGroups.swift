/// What a group of duplicates is (`--groups`).
public enum DedupGroups: String, CaseIterable, Sendable {
    /// Each record is compared with the records kept before it; the first match removes it
    /// (streams; the default).
    case greedy
    /// Connected components of verified pairs; the earliest record of each survives
    /// (`ComponentGrouping`: what a distributed run computes; needs all records first).
    case components
}
