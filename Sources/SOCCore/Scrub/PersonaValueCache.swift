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
        // XXH3, not `Hasher` (SipHash): about 300 instructions less per new persona.
        let hash = Int(truncatingIfNeeded: source.withUnsafeBytes { XXH3.hash64($0) })
        // The values are made from `source`, which holds both fields unescaped (no copies).
        var scratch = valueScratch
        var keyBytes = keyScratch
        valueScratch = PersonaValues.Scratch()
        keyScratch = []
        defer {
            valueScratch = scratch
            keyScratch = keyBytes
        }
        let source = source
        return shared.values(hash: hash, source: source) {
            source.withUnsafeBytes { fields in
                var offset = 0
                func field() -> UnsafeRawBufferPointer? {
                    guard fields[offset] == 1 else {
                        offset += 1
                        return nil
                    }
                    let count = Int(
                        UInt32(littleEndian: fields.loadUnaligned(fromByteOffset: offset + 1, as: UInt32.self)))
                    defer { offset += 5 + count }
                    return UnsafeRawBufferPointer(rebasing: fields[(offset + 5)..<(offset + 5 + count)])
                }
                let name = field()
                let username = field()
                return PersonaValues.make(name: name, username: username, scratch: &scratch, keyBytes: &keyBytes)
            }
        }
    }

    /// Buffers for making a new persona's values, reused.
    private var valueScratch = PersonaValues.Scratch()
    private var keyScratch: [UInt8] = []

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
            appendLength(unescaped.count)
            source.append(contentsOf: unescaped)
        } else {
            let content = document.stringContent(field)
            appendLength(content.count)
            source.append(contentsOf: content)
        }
    }

    /// Appends `count` to `source` as 4 little-endian bytes.
    private mutating func appendLength(_ count: Int) {
        for shift in stride(from: 0, to: 32, by: 8) { source.append(UInt8(truncatingIfNeeded: count >> shift)) }
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
        // Copied into the slot's own buffers: sharing `out` made the caller's next key copy it.
        candidates[slot].removeAll(keepingCapacity: true)
        candidates[slot].append(contentsOf: candidate)
        keys[slot].removeAll(keepingCapacity: true)
        keys[slot].append(contentsOf: out)
        filled[slot] = true
    }
}
