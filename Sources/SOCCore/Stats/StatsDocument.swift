/// Everything soc-stats measured over a run (or over merged shards): the chats, the personas of
/// a persona file, and any other records. Written as JSON (`json`), read back for merging
/// (`init(json:)`), rendered as Markdown or HTML.
public struct StatsDocument: Equatable, Sendable {
    /// The version of the JSON layout; bumped when a key changes meaning or goes away.
    public static let schemaVersion = 1

    /// The inputs the figures come from (display names; shards' lists are concatenated).
    public var inputs: [String] = []
    public var chats = ChatStats()
    /// SPB persona records (a persona file), not the personas inside chats.
    public var personas = PersonaStats()
    public var other = GenericStats()
    /// The first record analysed (its exact text), for a dataset card's example and field list;
    /// records longer than `exampleLimit` bytes are passed over so that the JSON stays small.
    public var example: String?
    public static let exampleLimit = 64 << 10

    public init(inputs: [String] = []) {
        self.inputs = inputs
    }

    /// Records analysed, of every kind.
    public var records: Int { chats.records + personas.records + other.records }

    /// Adds another shard's figures: every count, sum, min, max and histogram bin exactly.
    public mutating func merge(_ other: StatsDocument) {
        inputs += other.inputs
        if example == nil { example = other.example }
        chats.merge(other.chats)
        personas.merge(other.personas)
        self.other.merge(other.other)
    }

    /// The Hugging Face `size_categories` bucket for `count` records (`n<1K`, `1K<n<10K`, ...).
    public static func sizeCategory(_ count: Int) -> String {
        let buckets: [(Int, String)] = [
            (1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
            (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B"),
            (10_000_000_000, "1B<n<10B"), (100_000_000_000, "10B<n<100B"), (1_000_000_000_000, "100B<n<1T"),
        ]
        for (limit, name) in buckets where count < limit { return name }
        return "n>1T"
    }
}
