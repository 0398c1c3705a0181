#if canImport(Glibc)
    import Glibc
#endif

/// One persona's `{persona}` values (full name, first name, username), as written and folded.
final class PersonaValues {
    /// The values as UTF-8 (most labels are written exactly so, which needs no folding to see).
    let raw: [[UInt8]]
    /// Their `PersonaKey`s.
    let keys: [[UInt8]]

    init(raw: [[UInt8]], keys: [[UInt8]]) {
        self.raw = raw
        self.keys = keys
    }

    /// The values of a persona with this name and username (UTF-8, nil when absent).
    convenience init(name: [UInt8]?, username: [UInt8]?) {
        let names = PersonaNames([
            (name.map { String(decoding: $0, as: UTF8.self) }, username.map { String(decoding: $0, as: UTF8.self) })
        ])
        let values = names.names + names.firstNames + names.usernames
        self.init(raw: values.map { Array($0.utf8) }, keys: values.map { PersonaKey.key($0) })
    }
}

/// The values of the personas seen so far, found by the UTF-8 of their `name` and `username`,
/// so a persona seen before costs a hash and a compare (and an unescape when the record is
/// written with escapes), with no strings built. A persona bank has a few thousand personas; the table is
/// bounded (emptied past 50,000).
struct PersonaValueCache {
    /// By the 64-bit hash of the source bytes; the entry keeps its source, compared on a hit,
    /// so a hash collision only costs the values being made again.
    private var table: [Int: (source: [UInt8], values: PersonaValues)] = [:]
    /// The looked-up persona's source bytes, reused.
    private var scratch: [UInt8] = []

    /// The values of the persona object at `persona` in `document`.
    mutating func values(_ document: JSONDocument, persona: Int) -> PersonaValues {
        let name = Self.string(document, document.member(persona, "name"))
        let username = Self.string(document, document.member(persona, "username"))
        // Field by field: whether it is a string, its length, its UTF-8 (unescaped, so a
        // persona written with `\u` escapes in one record and raw in another is one entry).
        scratch.removeAll(keepingCapacity: true)
        append(document, name)
        append(document, username)
        var hasher = Hasher()
        scratch.withUnsafeBytes { hasher.combine(bytes: $0) }
        let hash = hasher.finalize()
        if let found = table[hash], found.source.count == scratch.count,
            found.source.withUnsafeBytes({ source in scratch.withUnsafeBytes { source.elementsEqualBytes($0) } })
        {
            return found.values
        }
        func decoded(_ index: Int?) -> [UInt8]? {
            guard let index else { return nil }
            return document.hasEscapes(index)
                ? JSONString.unescape(document.stringContent(index)) : Array(document.stringContent(index))
        }
        let made = PersonaValues(name: decoded(name), username: decoded(username))
        if table.count >= 50_000 { table.removeAll() }
        if table[hash] == nil { table[hash] = (scratch, made) }
        return made
    }

    /// Appends one field to `scratch`: 0 when it is not a string, else 1, its unescaped length
    /// (4 bytes) and its unescaped UTF-8.
    @inline(__always)
    private mutating func append(_ document: JSONDocument, _ field: Int?) {
        guard let field else {
            scratch.append(0)
            return
        }
        scratch.append(1)
        if document.hasEscapes(field) {
            let text = JSONString.unescape(document.stringContent(field))
            withUnsafeBytes(of: UInt32(text.count).littleEndian) { scratch.append(contentsOf: $0) }
            scratch.append(contentsOf: text)
        } else {
            let content = document.stringContent(field)
            withUnsafeBytes(of: UInt32(content.count).littleEndian) { scratch.append(contentsOf: $0) }
            scratch.append(contentsOf: content)
        }
    }

    /// `index` when it is a string.
    @inline(__always)
    private static func string(_ document: JSONDocument, _ index: Int?) -> Int? {
        guard let index, document.kind(index) == .string else { return nil }
        return index
    }
}

/// Keys of non-ASCII candidates (text before a label's colon) checked before: folding and
/// normalizing them builds strings, and the same words come back in many chats. Direct-mapped
/// and bounded like `PersonaValueCache`.
struct CandidateKeyCache {
    private static let slotCount = 4096
    private var candidates: [[UInt8]] = Array(repeating: [], count: slotCount)
    private var keys: [[UInt8]] = Array(repeating: [], count: slotCount)
    private var filled: [Bool] = Array(repeating: false, count: slotCount)

    /// The key of non-ASCII `candidate`, written over `out`.
    mutating func key(_ candidate: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        var hasher = Hasher()
        hasher.combine(bytes: candidate)
        let slot = hasher.finalize() & (Self.slotCount - 1)
        if filled[slot], candidates[slot].count == candidate.count,
            candidates[slot].withUnsafeBytes({ $0.elementsEqualBytes(candidate) })
        {
            out.removeAll(keepingCapacity: true)
            out.append(contentsOf: keys[slot])
            return
        }
        PersonaKey.key(candidate, into: &out)
        candidates[slot] = Array(candidate)
        keys[slot] = out
        filled[slot] = true
    }
}
