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

    /// Counts the persona object at tape index `persona`.
    public mutating func add(_ document: JSONDocument, persona: Int) {
        records += 1
        if let value = document.member(persona, "age"), let whole = document.integer(value) {
            age.add(whole)
        } else if let value = document.member(persona, "age"), let number = document.double(value), number.isFinite {
            age.add(number)
        } else {
            ageMissing += 1
        }
        if let list = document.member(persona, "traits"), document.kind(list) == .array {
            traitsPerPersona.add(document.count(list))
            for trait in document.elements(list) {
                if let name = document.string(trait) { traits.add(name) }
            }
        }
        if let text = document.member(persona, "background"), document.kind(text) == .string {
            backgroundCharacters.add(document.withStringBytes(text) { TextMeasure.characters($0) })
        }
        if let text = document.member(persona, "chatting_style"), document.kind(text) == .string {
            chattingStyleCharacters.add(document.withStringBytes(text) { TextMeasure.characters($0) })
        }
        let username = document.member(persona, "username")
        if username == nil || document.kind(username!) == .null { usernameNull += 1 }
        if let model = document.member(persona, "model"), let name = document.string(model) { models.add(name) }
        if let id = document.member(persona, "id"), document.kind(id) == .string {
            document.withStringBytes(id) { ids.add($0) }
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
