#if canImport(Glibc)
    import Glibc
#endif

/// Figures over SPB personas: the records of a persona file, or the two personas of each chat
/// (counted per appearance, so that shard figures add up exactly).
public struct PersonaStats: Equatable, Sendable {
    /// Personas counted.
    public var records = 0
    public var age = NumericAccumulator()
    /// Personas whose `age` is missing or not a number.
    public var ageMissing = 0
    public var traitsPerPersona = NumericAccumulator()
    public var traits = CategoryCounter(capacity: 1000)
    public var backgroundCharacters = NumericAccumulator()
    public var chattingStyleCharacters = NumericAccumulator()
    /// Personas whose `username` is null (or absent).
    public var usernameNull = 0
    public var models = CategoryCounter(capacity: 100)
    /// Distinct `id`s.
    public var ids = DistinctCounter()

    public init() {}

    /// Counts the persona object at tape index `persona` (`times` appearances of it), reading its
    /// members in one pass (`PersonaFigures`).
    public mutating func add(_ document: JSONDocument, persona: Int, times: Int = 1) {
        PersonaFigures(document, persona: persona).add(to: &self, times: times)
    }

    /// Which counted field the key `name` names (0 age, 1 traits, 2 background, 3 chatting_style,
    /// 4 username, 5 model, 6 id), told apart by length and first byte before comparing.
    static func field(_ name: UnsafeRawBufferPointer) -> Int? {
        guard name.count >= 2 else { return nil }
        switch (name.count, name[0]) {
        case (3, UInt8(ascii: "a")) where name.equalsShort("age"): return 0
        case (6, UInt8(ascii: "t")) where name.equalsShort("traits"): return 1
        case (10, UInt8(ascii: "b")) where name.equalsShort("background"): return 2
        case (14, UInt8(ascii: "c")) where name.equalsShort("chatting_style"): return 3
        case (8, UInt8(ascii: "u")) where name.equalsShort("username"): return 4
        case (5, UInt8(ascii: "m")) where name.equalsShort("model"): return 5
        case (2, UInt8(ascii: "i")) where name.equalsShort("id"): return 6
        default: return nil
        }
    }

    /// Adds another shard's figures.
    public mutating func merge(_ other: PersonaStats) {
        records += other.records
        age.merge(other.age)
        ageMissing += other.ageMissing
        traitsPerPersona.merge(other.traitsPerPersona)
        traits.merge(other.traits)
        backgroundCharacters.merge(other.backgroundCharacters)
        chattingStyleCharacters.merge(other.chattingStyleCharacters)
        usernameNull += other.usernameNull
        models.merge(other.models)
        ids.merge(other.ids)
    }

    /// Ids seen more than once (`ids seen − distinct ids`).
    public var duplicateIDs: Int { Swift.max(0, ids.seen - ids.distinct) }
}
