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
    /// members in one pass.
    public mutating func add(_ document: JSONDocument, persona: Int, times: Int = 1) {
        records += times
        var sawAge = false
        var usernameIsNull = true
        for key in document.memberKeys(persona) {
            let value = key + 1
            // Keys are told apart by length and first byte before comparing (one pass, no lookups).
            let name = document.stringContent(key)
            guard name.count >= 2, !document.hasEscapes(key) else { continue }
            switch (name.count, name[0]) {
            case (3, UInt8(ascii: "a")) where Self.equals(name, "age"):
                if let whole = document.integer(value) {
                    age.add(whole, times: times)
                    sawAge = true
                } else if let number = document.double(value), number.isFinite {
                    for _ in 0..<times { age.add(number) }
                    sawAge = true
                }
            case (6, UInt8(ascii: "t")) where Self.equals(name, "traits"):
                guard document.kind(value) == .array else { continue }
                traitsPerPersona.add(document.count(value), times: times)
                for trait in document.elements(value) {
                    if let text = document.string(trait) { traits.add(text, count: times) }
                }
            case (10, UInt8(ascii: "b")) where Self.equals(name, "background"):
                if document.kind(value) == .string { backgroundCharacters.add(document.withStringBytes(value) { MessageMeasure.measure($0).characters }, times: times) }
            case (14, UInt8(ascii: "c")) where Self.equals(name, "chatting_style"):
                if document.kind(value) == .string { chattingStyleCharacters.add(document.withStringBytes(value) { MessageMeasure.measure($0).characters }, times: times) }
            case (8, UInt8(ascii: "u")) where Self.equals(name, "username"):
                usernameIsNull = document.kind(value) == .null
            case (5, UInt8(ascii: "m")) where Self.equals(name, "model"):
                if let text = document.string(value) { models.add(text, count: times) }
            case (2, UInt8(ascii: "i")) where Self.equals(name, "id"):
                if document.kind(value) == .string { document.withStringBytes(value) { ids.add($0, times: times) } }
            default:
                break
            }
        }
        if !sawAge { ageMissing += times }
        if usernameIsNull { usernameNull += times }
    }

    @inline(__always)
    static func equals(_ bytes: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
        bytes.count == name.utf8CodeUnitCount && memcmp(bytes.baseAddress!, name.utf8Start, bytes.count) == 0
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
