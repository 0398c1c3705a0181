#if canImport(Glibc)
    import Glibc
#endif

/// The values of the personas seen so far, found by the bytes of their `name` and `username`
/// as written in the record, so a persona seen before costs a hash and two `memcmp`s, with no
/// strings built, nothing unescaped and no key copied. A persona bank has a few thousand
/// personas; the table is bounded (emptied past 50,000).
///
/// Measured with callgrind (bench/data/soc_realistic.jsonl, --threads 1): a lookup keyed by the
/// unescaped bytes through a `Dictionary` cost about 2.5k instructions; this one about 1k.
struct PersonaValueCache {
    /// The personas seen by this thread.
    private var table = PersonaFieldTable()
    /// The table of every thread of the run, asked before a persona new to this thread is made.
    let shared: PersonaValueTable
    /// An escaped field's unescaped UTF-8, reused.
    private var unescapedName: [UInt8] = []
    private var unescapedUsername: [UInt8] = []
    /// Buffers for making a new persona's values, reused.
    private var valueScratch = PersonaValues.Scratch()
    private var keyScratch: [UInt8] = []

    init(shared: PersonaValueTable) {
        self.shared = shared
    }

    /// The values of the persona object at `persona` in `document`, borrowed from this cache's
    /// table (valid as `PersonaFieldTable` says: for the record at hand).
    mutating func values(_ document: JSONDocument, persona: Int) -> PersonaValuesView {
        let (name, username) = Self.fields(document, persona: persona)
        return values(document, name: name, username: username)
    }

    /// The string `name` and `username` of the persona object at `persona` (tape indices; nil
    /// when absent or not a string).
    static func fields(_ document: JSONDocument, persona: Int) -> (name: Int?, username: Int?) {
        let (name, username) =
            members(document, persona, KeyWords.name, KeyWords.username)
            ?? members(document, persona, Self.bytes("name"), Self.bytes("username"))
        return (string(document, name), string(document, username))
    }

    /// The values of members `a` and `b` of the object at `object` (tape indices; the last of a
    /// repeated key, as `member` reads it), found in one pass over its keys.
    static func members(
        _ document: JSONDocument, _ object: Int, _ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer
    )
        -> (Int?, Int?)
    {
        var first: Int?
        var second: Int?
        for key in document.memberKeys(object) {
            // A key without escapes whose length is neither cannot be one: told from its node
            // without comparing bytes (a persona has about eight keys, two of them wanted).
            let node = document.nodes[key]
            let length = Int(node.end) - Int(node.start) - 2
            guard node.flags & JSONNode.hasEscapes != 0 || length == a.count || length == b.count else { continue }
            if document.stringEquals(key, a) {
                first = key + 1
            } else if document.stringEquals(key, b) {
                second = key + 1
            }
        }
        return (first, second)
    }

    /// `experience.persona1` and `persona2` of a chat record (tape indices, nil when absent).
    static func personas(_ document: JSONDocument) -> (Int?, Int?) {
        guard let experience = document.member(document.root, "experience") else { return (nil, nil) }
        return members(document, experience, KeyWords.persona1, KeyWords.persona2)
            ?? members(document, experience, Self.bytes("persona1"), Self.bytes("persona2"))
    }

    /// The values of a persona whose fields are `fields(_:persona:)` (a view, as above).
    mutating func values(_ document: JSONDocument, name: Int?, username: Int?) -> PersonaValuesView {
        let key = PersonaFields(
            flags: Self.flags(document, name) | Self.flags(document, username) << 2,
            name: name.map { document.stringContent($0) } ?? UnsafeRawBufferPointer(start: nil, count: 0),
            username: username.map { document.stringContent($0) } ?? UnsafeRawBufferPointer(start: nil, count: 0))
        if let found = table.find(key) { return found }
        let made = key.flags & 0b1010 == 0 ? shared(key) : sharedUnescaped(key)
        table.insert(key, made)
        return made.view
    }

    /// The values of a persona new to this thread, from the table every thread shares (made
    /// when no thread has them).
    private mutating func shared(_ key: PersonaFields) -> PersonaValues {
        shared.values(key) {
            PersonaValues.make(
                name: key.flags & 3 == 0 ? nil : key.name, username: key.flags >> 2 == 0 ? nil : key.username,
                scratch: &valueScratch, keyBytes: &keyScratch)
        }
    }

    /// `shared` for a persona whose fields have escapes: the shared table is asked for the
    /// unescaped fields (lone surrogates read as U+FFFD), so a persona written with `\u` escapes
    /// in one record and raw in another is made once.
    private mutating func sharedUnescaped(_ key: PersonaFields) -> PersonaValues {
        if key.flags & 2 != 0 { JSONString.unescape(key.name, into: &unescapedName) { _, _ in 0xFFFD } }
        if key.flags & 8 != 0 { JSONString.unescape(key.username, into: &unescapedUsername) { _, _ in 0xFFFD } }
        let name = key.flags & 2 != 0 ? unescapedName : nil
        let username = key.flags & 8 != 0 ? unescapedUsername : nil
        return Self.withField(key.name, name) { name in
            Self.withField(key.username, username) { username in
                shared(PersonaFields(flags: key.flags & 0b0101, name: name, username: username))
            }
        }
    }

    /// Calls `body` with `unescaped` when given, else with `raw`.
    private static func withField<R>(
        _ raw: UnsafeRawBufferPointer, _ unescaped: [UInt8]?, _ body: (UnsafeRawBufferPointer) -> R
    ) -> R {
        guard let unescaped else { return body(raw) }
        return unescaped.withUnsafeBytes { body($0) }
    }

    /// 0 when the field is absent (or not a string), 1 for a string, 3 for one with escapes.
    private static func flags(_ document: JSONDocument, _ field: Int?) -> UInt8 {
        guard let field else { return 0 }
        return document.hasEscapes(field) ? 3 : 1
    }

    /// `index` when it is a string.
    private static func string(_ document: JSONDocument, _ index: Int?) -> Int? {
        guard let index, document.kind(index) == .string else { return nil }
        return index
    }

    /// The UTF-8 of a member name.
    private static func bytes(_ key: StaticString) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
    }
}
