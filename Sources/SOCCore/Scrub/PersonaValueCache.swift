#if canImport(Glibc)
    import Glibc
#endif

/// One persona's `{persona}` values (full name, first name, username), as written and folded.
/// Immutable, so one instance serves every thread.
final class PersonaValues: Sendable {
    /// The values as UTF-8 (most labels are written exactly so, which needs no folding to see).
    let raw: [[UInt8]]
    /// Their `PersonaKey`s.
    let keys: [[UInt8]]

    init(raw: [[UInt8]], keys: [[UInt8]]) {
        self.raw = raw
        self.keys = keys
    }

    /// The values of a persona with this name and username (UTF-8, nil when absent): what
    /// `PersonaNames` gives for this one persona (its full name with the words split at
    /// White_Space joined by single spaces, its first word, its username without surrounding
    /// white space), found in the bytes without building strings.
    convenience init(name: [UInt8]?, username: [UInt8]?) {
        var values: [[UInt8]] = []
        if let name {
            let words = name.withUnsafeBytes { Self.words($0) }
            if let first = words.first {
                if words.count == 1 {
                    values.append(Array(name[first]))
                } else {
                    var joined: [UInt8] = []
                    joined.reserveCapacity(name.count)
                    for (k, word) in words.enumerated() {
                        if k > 0 { joined.append(UInt8(ascii: " ")) }
                        joined.append(contentsOf: name[word])
                    }
                    values.append(joined)
                }
                values.append(Array(name[first]))
            }
        }
        if let username {
            let trimmed = Self.trimmed(username)
            if !trimmed.isEmpty { values.append(trimmed) }
        }
        self.init(raw: values, keys: values.map { $0.withUnsafeBytes { PersonaKey.key($0) } })
    }

    /// The byte ranges of the words of `text` (valid UTF-8) split at Unicode White_Space, as
    /// `PersonaNames` splits a name's scalars.
    private static func words(_ text: UnsafeRawBufferPointer) -> [Range<Int>] {
        var words: [Range<Int>] = []
        var start = -1
        var i = 0
        while i < text.count {
            let (scalar, length) = BlankText.decode(text, at: i)
            if BlankText.isWhitespace(scalar) {
                if start >= 0 { words.append(start..<i) }
                start = -1
            } else if start < 0 {
                start = i
            }
            i += length
        }
        if start >= 0 { words.append(start..<text.count) }
        return words
    }

    /// `username` without leading and trailing white space, as `trimmingBlanks` (by Character)
    /// leaves it: ASCII with no white space at either end is kept as it is; anything else goes
    /// through `trimmingBlanks` itself.
    private static func trimmed(_ username: [UInt8]) -> [UInt8] {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        if let first = username.first, let last = username.last, !isSpace(first), !isSpace(last),
            username.allSatisfy({ $0 < 0x80 })
        {
            return username
        }
        return Array(String(decoding: username, as: UTF8.self).trimmingBlanks.utf8)
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
    /// The table of every thread of the run, asked before a persona new to this thread is made.
    let shared: PersonaValueTable
    /// The looked-up persona's source bytes, reused.
    private var scratch: [UInt8] = []
    /// An escaped field's unescaped UTF-8, reused.
    private var unescaped: [UInt8] = []

    init(shared: PersonaValueTable) {
        self.shared = shared
    }

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
        let made =
            shared.values(hash: hash, source: scratch) {
                func decoded(_ index: Int?) -> [UInt8]? {
                    guard let index else { return nil }
                    return document.hasEscapes(index)
                        ? JSONString.unescape(document.stringContent(index)) : Array(document.stringContent(index))
                }
                return PersonaValues(name: decoded(name), username: decoded(username))
            }
        if table.count >= 50_000 { table.removeAll() }
        if table[hash] == nil { table[hash] = (scratch, made) }
        return made
    }

    /// Appends one field to `scratch`: 0 when it is not a string, else 1, its unescaped length
    /// (4 bytes) and its unescaped UTF-8.
    private mutating func append(_ document: JSONDocument, _ field: Int?) {
        guard let field else {
            scratch.append(0)
            return
        }
        scratch.append(1)
        if document.hasEscapes(field) {
            JSONString.unescape(document.stringContent(field), into: &unescaped) { _, _ in 0xFFFD }
            withUnsafeBytes(of: UInt32(unescaped.count).littleEndian) { scratch.append(contentsOf: $0) }
            scratch.append(contentsOf: unescaped)
        } else {
            let content = document.stringContent(field)
            withUnsafeBytes(of: UInt32(content.count).littleEndian) { scratch.append(contentsOf: $0) }
            scratch.append(contentsOf: content)
        }
    }

    /// `index` when it is a string.
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
