/// What one persona object adds to `PersonaStats`, read once from its members.
///
/// A dataset's chats draw their personas from a pool, so the same object appears in many chats;
/// its figures (the trait strings made, the texts measured, the id hashed) are taken once and
/// added with a count (`add(to:times:)`), which is exactly what reading each appearance adds.
struct PersonaFigures: Equatable, Sendable {
    /// The `age` member: a whole number, another finite number, or missing (absent, not a number).
    enum Age: Equatable, Sendable {
        case whole(Int)
        case number(Double)
        case missing
    }

    var age = Age.missing
    /// The element count of `traits`, nil when it is not an array.
    var traitCount: Int?
    /// The string elements of `traits`, in order.
    var traits: [String] = []
    var backgroundCharacters: Int?
    var chattingStyleCharacters: Int?
    /// True when `username` is null or absent.
    var usernameIsNull = true
    var model: String?
    /// `DistinctCounter`'s hash of the `id` string, nil when it is not a string.
    var idHash: UInt64?

    /// Reads the persona object at tape index `persona` in one pass over its members.
    init(_ document: JSONDocument, persona: Int) {
        self.init(document, persona: persona) { index, _ in document.string(index) }
    }

    /// `init(_:persona:)`, each trait and the model read by `name` (`document.string` of the
    /// value at its tape index; its second argument is true for the model).
    init(_ document: JSONDocument, persona: Int, name: (Int, Bool) -> String?) {
        // First the value of each field, the last one where a key is given twice (as Python
        // reads it); then each field is read once.
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
                ? JSONString.unescape(name).withUnsafeBytes { PersonaStats.field($0) } : PersonaStats.field(name)
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
        if let value = ageValue {
            if let whole = document.integer(value) {
                age = .whole(whole)
            } else if let number = document.double(value), number.isFinite {
                age = .number(number)
            }
        }
        if let value = traitsValue, document.kind(value) == .array {
            traitCount = document.count(value)
            traits.reserveCapacity(document.count(value))
            for trait in document.elements(value) {
                if let text = name(trait, false) { traits.append(text) }
            }
        }
        if let value = backgroundValue, document.kind(value) == .string {
            backgroundCharacters = TextMeasure.measure(document, string: value).characters
        }
        if let value = styleValue, document.kind(value) == .string {
            chattingStyleCharacters = TextMeasure.measure(document, string: value).characters
        }
        usernameIsNull = usernameValue.map { document.kind($0) == .null } ?? true
        if let value = modelValue { model = name(value, true) }
        if let value = idValue, document.kind(value) == .string {
            idHash = document.withStringBytes(value) { DistinctCounter.hash($0) }
        }
    }

    /// Adds `times` appearances of the persona to `stats`; without `categories`, all but the
    /// trait and model counts (which the caller adds).
    func add(to stats: inout PersonaStats, times: Int, categories: Bool = true) {
        stats.records += times
        switch age {
        case .whole(let whole): stats.age.add(whole, times: times)
        case .number(let number): for _ in 0..<times { stats.age.add(number) }
        case .missing: stats.ageMissing += times
        }
        if let traitCount {
            stats.traitsPerPersona.add(traitCount, times: times)
            if categories { for trait in traits { stats.traits.add(trait, count: times) } }
        }
        if let backgroundCharacters { stats.backgroundCharacters.add(backgroundCharacters, times: times) }
        if let chattingStyleCharacters { stats.chattingStyleCharacters.add(chattingStyleCharacters, times: times) }
        if categories, let model { stats.models.add(model, count: times) }
        if let idHash { stats.ids.add(hash: idHash, times: times) }
        if usernameIsNull { stats.usernameNull += times }
    }

    /// `add(to:times:categories: false)` with each single appearance's integer values held in
    /// `pending` (added in one go by `pending.flush`), as many figures are added at once
    /// (`PersonaBuffer.flush`): each accumulator still gets its values in the same order.
    func add(to stats: inout PersonaStats, times: Int, pending: inout PendingPersonaValues) {
        stats.records += times
        switch age {
        case .whole(let whole): PendingPersonaValues.add(whole, times: times, &pending.age, &stats.age)
        case .number(let number):
            PendingPersonaValues.flush(&pending.age, into: &stats.age)
            for _ in 0..<times { stats.age.add(number) }
        case .missing: stats.ageMissing += times
        }
        if let traitCount {
            PendingPersonaValues.add(traitCount, times: times, &pending.traitsPerPersona, &stats.traitsPerPersona)
        }
        if let backgroundCharacters {
            PendingPersonaValues.add(
                backgroundCharacters, times: times, &pending.backgroundCharacters, &stats.backgroundCharacters)
        }
        if let chattingStyleCharacters {
            PendingPersonaValues.add(
                chattingStyleCharacters, times: times, &pending.chattingStyleCharacters,
                &stats.chattingStyleCharacters)
        }
        if let idHash { stats.ids.add(hash: idHash, times: times) }
        if usernameIsNull { stats.usernameNull += times }
    }
}

/// The single-appearance integer values of a batch of `PersonaFigures` additions, one list per
/// `PersonaStats` accumulator, added with `NumericAccumulator.add(contentsOf:)` (one pass over
/// the bins, the sums in registers) instead of one `add` call per value. A value added `times`
/// > 1 times, or a fractional age, first flushes its accumulator's list, so that every
/// accumulator gets its values in the order of the calls: the sums, floating ones included,
/// are those of adding them one by one.
struct PendingPersonaValues {
    var age: [Int] = []
    var traitsPerPersona: [Int] = []
    var backgroundCharacters: [Int] = []
    var chattingStyleCharacters: [Int] = []

    /// Lists with room for `capacity` values each.
    init(capacity: Int) {
        age.reserveCapacity(capacity)
        traitsPerPersona.reserveCapacity(capacity)
        backgroundCharacters.reserveCapacity(capacity)
        chattingStyleCharacters.reserveCapacity(capacity)
    }

    /// Holds `value` in `values` when added once, else adds `values` and then it (`times` times)
    /// to `accumulator`.
    @inline(__always)
    static func add(_ value: Int, times: Int, _ values: inout [Int], _ accumulator: inout NumericAccumulator) {
        if times == 1 {
            values.append(value)
            return
        }
        flush(&values, into: &accumulator)
        accumulator.add(value, times: times)
    }

    /// Adds the values held in `values` to `accumulator`, in order, and empties the list.
    static func flush(_ values: inout [Int], into accumulator: inout NumericAccumulator) {
        guard !values.isEmpty else { return }
        values.withUnsafeBufferPointer { accumulator.add(contentsOf: $0) }
        values.removeAll(keepingCapacity: true)
    }

    /// Adds every value held to its accumulator of `stats`.
    mutating func flush(into stats: inout PersonaStats) {
        Self.flush(&age, into: &stats.age)
        Self.flush(&traitsPerPersona, into: &stats.traitsPerPersona)
        Self.flush(&backgroundCharacters, into: &stats.backgroundCharacters)
        Self.flush(&chattingStyleCharacters, into: &stats.chattingStyleCharacters)
    }
}
