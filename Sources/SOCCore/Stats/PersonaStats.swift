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
        // First the value of each field, the last one where a key is given twice (as Python
        // reads it); then each field is counted once.
        // Locals, not an array: this runs twice per chat and must not allocate.
        var ageValue: Int?
        var traitsValue: Int?
        var backgroundValue: Int?
        var styleValue: Int?
        var usernameValue: Int?
        var modelValue: Int?
        var idValue: Int?
        for key in document.memberKeys(persona) {
            let name = document.stringContent(key)
            let field =
                document.hasEscapes(key)
                ? JSONString.unescape(name).withUnsafeBytes { Self.field($0) } : Self.field(name)
            switch field {
            case 0: ageValue = key + 1
            case 1: traitsValue = key + 1
            case 2: backgroundValue = key + 1
            case 3: styleValue = key + 1
            case 4: usernameValue = key + 1
            case 5: modelValue = key + 1
            case 6: idValue = key + 1
            default: break
            }
        }
        var sawAge = false
        if let value = ageValue {
            if let whole = document.integer(value) {
                age.add(whole, times: times)
                sawAge = true
            } else if let number = document.double(value), number.isFinite {
                for _ in 0..<times { age.add(number) }
                sawAge = true
            }
        }
        if let value = traitsValue, document.kind(value) == .array {
            traitsPerPersona.add(document.count(value), times: times)
            for trait in document.elements(value) {
                if let text = document.string(trait) { traits.add(text, count: times) }
            }
        }
        if let value = backgroundValue, document.kind(value) == .string {
            backgroundCharacters.add(
                document.withStringBytes(value) { TextMeasure.measure($0).characters }, times: times)
        }
        if let value = styleValue, document.kind(value) == .string {
            chattingStyleCharacters.add(
                document.withStringBytes(value) { TextMeasure.measure($0).characters }, times: times)
        }
        let usernameIsNull = usernameValue.map { document.kind($0) == .null } ?? true
        if let value = modelValue, let text = document.string(value) { models.add(text, count: times) }
        if let value = idValue, document.kind(value) == .string {
            document.withStringBytes(value) { ids.add($0, times: times) }
        }
        if !sawAge { ageMissing += times }
        if usernameIsNull { usernameNull += times }
    }

    /// Which counted field the key `name` names (0 age, 1 traits, 2 background, 3 chatting_style,
    /// 4 username, 5 model, 6 id), told apart by length and first byte before comparing.
    static func field(_ name: UnsafeRawBufferPointer) -> Int? {
        guard name.count >= 2 else { return nil }
        switch (name.count, name[0]) {
        case (3, UInt8(ascii: "a")) where name.elementsEqualBytes("age"): return 0
        case (6, UInt8(ascii: "t")) where name.elementsEqualBytes("traits"): return 1
        case (10, UInt8(ascii: "b")) where name.elementsEqualBytes("background"): return 2
        case (14, UInt8(ascii: "c")) where name.elementsEqualBytes("chatting_style"): return 3
        case (8, UInt8(ascii: "u")) where name.elementsEqualBytes("username"): return 4
        case (5, UInt8(ascii: "m")) where name.elementsEqualBytes("model"): return 5
        case (2, UInt8(ascii: "i")) where name.elementsEqualBytes("id"): return 6
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
