#if canImport(Glibc)
    import Glibc
#endif

/// One persona's `{persona}` values (full name, first name, username), as written and folded.
/// Immutable, so one instance serves every thread.
///
/// All values and keys live in one buffer (their end offsets first, then their bytes): two
/// allocations per persona instead of one per value and key plus two arrays. A run meets a few
/// thousand personas and keeps them to the end; making and freeing the arrays cost about 9
/// allocations each (callgrind, real20.jsonl, --threads 1).
final class PersonaValues: @unchecked Sendable {
    /// The number of values (`raw(_:)`); the keys are as many or fewer (`key(_:)`).
    let rawCount: Int
    let keyCount: Int
    /// The longest key, in bytes.
    let longestKey: Int
    /// `rawCount + keyCount` end offsets (Int32, into the bytes after them), then the bytes.
    private let storage: UnsafeMutableRawPointer
    private let bytes: UnsafeMutableRawPointer

    init(raw: [[UInt8]], keys: [[UInt8]]) {
        rawCount = raw.count
        keyCount = keys.count
        var longest = 0
        var total = 0
        for value in raw { total += value.count }
        for key in keys {
            total += key.count
            longest = max(longest, key.count)
        }
        longestKey = longest
        let header = 4 * (raw.count + keys.count)
        let storage = UnsafeMutableRawPointer.allocate(byteCount: max(header + total, 1), alignment: 4)
        let bytes = storage + header
        self.storage = storage
        self.bytes = bytes
        var end = 0
        var k = 0
        for items in [raw, keys] {
            for item in items {
                item.withUnsafeBytes { source in
                    if let base = source.baseAddress { (bytes + end).copyMemory(from: base, byteCount: source.count) }
                }
                end += item.count
                storage.storeBytes(of: Int32(end), toByteOffset: 4 * k, as: Int32.self)
                k += 1
            }
        }
    }

    deinit {
        storage.deallocate()
    }

    /// Value `k` (< `rawCount`) as UTF-8.
    @inline(__always) func raw(_ k: Int) -> UnsafeRawBufferPointer { item(k) }

    /// Key `k` (< `keyCount`).
    @inline(__always) func key(_ k: Int) -> UnsafeRawBufferPointer { item(rawCount + k) }

    @inline(__always) private func item(_ i: Int) -> UnsafeRawBufferPointer {
        let start = i == 0 ? 0 : Int(storage.load(fromByteOffset: 4 * (i - 1), as: Int32.self))
        let end = Int(storage.load(fromByteOffset: 4 * i, as: Int32.self))
        return UnsafeRawBufferPointer(start: bytes + start, count: end - start)
    }

    /// The values as UTF-8 arrays.
    var raw: [[UInt8]] { (0..<rawCount).map { Array(raw($0)) } }
    /// Their `PersonaKey`s.
    var keys: [[UInt8]] { (0..<keyCount).map { Array(key($0)) } }

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
        // The first name's key is the full name's up to its first space (value 1 is the first
        // name whenever there are two): folding is per scalar, and nothing composes across a
        // space, so its key is not made again (PersonaValuesTests compares every key).
        var keys: [[UInt8]] = []
        keys.reserveCapacity(values.count)
        for (k, value) in values.enumerated() {
            if k == 1,
                let space = keys[0].firstIndex(of: UInt8(ascii: " ")) ?? (value == values[0] ? keys[0].count : nil)
            {
                keys.append(Array(keys[0][..<space]))
            } else {
                keys.append(value.withUnsafeBytes { PersonaKey.key($0) })
            }
        }
        self.init(raw: values, keys: keys)
    }

    /// The byte ranges of the words of `text` (valid UTF-8) split at Unicode White_Space, as
    /// `PersonaNames` splits a name's scalars.
    private static func words(_ text: UnsafeRawBufferPointer) -> [Range<Int>] {
        var words: [Range<Int>] = []
        var start = -1
        var i = 0
        while i < text.count {
            // ASCII's White_Space is 0x09...0x0D and 0x20 (`BlankText.isWhitespace`): no decoding.
            let byte = text[i]
            if byte < 0x80 {
                if byte == 0x20 || (0x09...0x0D).contains(byte) {
                    if start >= 0 { words.append(start..<i) }
                    start = -1
                } else if start < 0 {
                    start = i
                }
                i += 1
                continue
            }
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

/// The values of the personas seen so far, found by the bytes of their `name` and `username`
/// as written in the record, so a persona seen before costs a hash and two `memcmp`s, with no
/// strings built, nothing unescaped and no key copied. A persona bank has a few thousand
/// personas; the table is bounded (emptied past 50,000).
///
/// Measured with callgrind (bench/data/soc_realistic.jsonl, --threads 1): a lookup keyed by the
/// unescaped bytes through a `Dictionary` cost about 2.5k instructions; this one about 1k.
struct PersonaValueCache {
    /// One persona seen by this thread: its fields as written (between the quotes) and its values.
    private struct Entry {
        var hash: UInt64
        /// Which fields are strings and which have escapes (`flags(name:username:)`).
        var flags: UInt8
        /// Where the name's bytes start in `fields`, then the username's (one array for all
        /// entries: two allocations fewer per persona).
        var start: Int32
        var nameCount: Int32
        var usernameCount: Int32
        var values: PersonaValues
    }
    /// The fields of every entry, as written (`Entry.start`).
    private var fields: [UInt8] = []
    /// Open addressing with linear probing: each slot holds an index into `entries` plus one
    /// (0: empty); kept at most half full.
    private var slots: [Int32] = Array(repeating: 0, count: Self.initialSlots)
    private var entries: [Entry] = []
    private static let initialSlots = 1 << 12
    /// The table of every thread of the run, asked before a persona new to this thread is made.
    /// It is keyed by the unescaped bytes, so a persona written with `\u` escapes in one record
    /// and raw in another has two entries here and one `PersonaValues`.
    let shared: PersonaValueTable
    /// A new persona's unescaped key (for the shared table), reused.
    private var source: [UInt8] = []
    /// An escaped field's unescaped UTF-8, reused.
    private var unescaped: [UInt8] = []

    init(shared: PersonaValueTable) {
        self.shared = shared
    }

    /// The values of the persona object at `persona` in `document`.
    mutating func values(_ document: JSONDocument, persona: Int) -> PersonaValues {
        // Both members in one pass (the last of a repeated key, as `member` reads it).
        var name: Int?
        var username: Int?
        for key in document.memberKeys(persona) {
            if document.stringEquals(key, Self.bytes("name")) {
                name = key + 1
            } else if document.stringEquals(key, Self.bytes("username")) {
                username = key + 1
            }
        }
        name = Self.string(document, name)
        username = Self.string(document, username)
        let nameBytes = name.map { document.stringContent($0) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        let usernameBytes =
            username.map { document.stringContent($0) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
        let flags = Self.flags(document, name) | Self.flags(document, username) << 2
        let hash =
            XXH3.hash64(nameBytes) &* 0x9E37_79B9_7F4A_7C15 ^ XXH3.hash64(usernameBytes) ^ UInt64(flags)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] != 0 {
            let k = Int(slots[slot]) - 1
            let entry = entries[k]
            if entry.hash == hash && entry.flags == flags && Int(entry.nameCount) == nameBytes.count
                && Int(entry.usernameCount) == usernameBytes.count
                && fields.withUnsafeBytes({ all in
                    let name = Int(entry.start)
                    let username = name + nameBytes.count
                    return UnsafeRawBufferPointer(rebasing: all[name..<username]).elementsEqualBytes(nameBytes)
                        && UnsafeRawBufferPointer(rebasing: all[username..<(username + usernameBytes.count)])
                            .elementsEqualBytes(usernameBytes)
                })
            {
                return entry.values
            }
            slot = (slot + 1) & mask
        }
        let made = shared(document, name, username)
        if entries.count >= 50_000 {
            entries.removeAll()
            fields.removeAll()
            slots = Array(repeating: 0, count: Self.initialSlots)
            slot = Int(truncatingIfNeeded: hash) & (slots.count - 1)
        }
        entries.append(
            Entry(
                hash: hash, flags: flags, start: Int32(fields.count), nameCount: Int32(nameBytes.count),
                usernameCount: Int32(usernameBytes.count), values: made))
        fields.append(contentsOf: nameBytes)
        fields.append(contentsOf: usernameBytes)
        slots[slot] = Int32(entries.count)
        if entries.count * 2 > slots.count { grow() }
        return made
    }

    /// Doubles the slots and places every entry again.
    private mutating func grow() {
        slots = Array(repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for k in entries.indices {
            var slot = Int(truncatingIfNeeded: entries[k].hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(k + 1)
        }
    }

    /// 0 when the field is absent (or not a string), 1 for a string, 3 for one with escapes.
    private static func flags(_ document: JSONDocument, _ field: Int?) -> UInt8 {
        guard let field else { return 0 }
        return document.hasEscapes(field) ? 3 : 1
    }

    /// The values of a persona new to this thread, from the table every thread shares.
    private mutating func shared(_ document: JSONDocument, _ name: Int?, _ username: Int?) -> PersonaValues {
        // Field by field: whether it is a string, its length, its UTF-8 (unescaped, so a
        // persona written with `\u` escapes in one record and raw in another is one entry).
        source.removeAll(keepingCapacity: true)
        append(document, name)
        append(document, username)
        var hasher = Hasher()
        source.withUnsafeBytes { hasher.combine(bytes: $0) }
        return shared.values(hash: hasher.finalize(), source: source) {
            func decoded(_ index: Int?) -> [UInt8]? {
                guard let index else { return nil }
                return document.hasEscapes(index)
                    ? JSONString.unescape(document.stringContent(index)) : Array(document.stringContent(index))
            }
            return PersonaValues(name: decoded(name), username: decoded(username))
        }
    }

    /// Appends one field to `source`: 0 when it is not a string, else 1, its unescaped length
    /// (4 bytes) and its unescaped UTF-8.
    private mutating func append(_ document: JSONDocument, _ field: Int?) {
        guard let field else {
            source.append(0)
            return
        }
        source.append(1)
        if document.hasEscapes(field) {
            JSONString.unescape(document.stringContent(field), into: &unescaped) { _, _ in 0xFFFD }
            withUnsafeBytes(of: UInt32(unescaped.count).littleEndian) { source.append(contentsOf: $0) }
            source.append(contentsOf: unescaped)
        } else {
            let content = document.stringContent(field)
            withUnsafeBytes(of: UInt32(content.count).littleEndian) { source.append(contentsOf: $0) }
            source.append(contentsOf: content)
        }
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
        let slot = Int(truncatingIfNeeded: XXH3.hash64(candidate)) & (Self.slotCount - 1)
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
