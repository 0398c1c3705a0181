#if canImport(Glibc)
    import Glibc
#endif

/// A persona's `name` and `username` as written in a record (between the quotes, escapes
/// left as they are), with their hash: how `PersonaValueCache` and `PersonaValueTable` find a
/// persona's values without unescaping anything or building strings.
struct PersonaFields {
    var hash: UInt64
    /// Which fields are strings and which have escapes (1: a string, 3: one with escapes; the
    /// name's in bits 0-1, the username's in bits 2-3).
    var flags: UInt8
    var name: UnsafeRawBufferPointer
    var username: UnsafeRawBufferPointer
    /// The fields' prints: the hash is made of them, and fields of at most
    /// `ShortPrint.exactCount` bytes are compared by them alone. Two XXH3 calls and two
    /// `memcmp` calls a persona mispredicted ~4 branches on the fields' lengths (callgrind,
    /// bench/data/soc_realistic.jsonl, --threads 1).
    var namePrint: ShortPrint
    var usernamePrint: ShortPrint

    init(flags: UInt8, name: UnsafeRawBufferPointer, username: UnsafeRawBufferPointer) {
        self.flags = flags
        self.name = name
        self.username = username
        namePrint = ShortPrint(name)
        usernamePrint = ShortPrint(username)
        hash = namePrint.hash &* 0x9E37_79B9_7F4A_7C15 ^ usernamePrint.hash ^ UInt64(flags)
    }

    /// True when both fields are short enough for their prints to hold every byte.
    var printsAreExact: Bool { max(name.count, username.count) <= ShortPrint.exactCount }
}

/// Persona values by `PersonaFields`: open addressing with linear probing over one array of
/// every entry's field bytes (no array per entry), bounded (emptied past 50,000 entries; a
/// persona bank has a few thousand personas).
///
/// `find` hands out a `PersonaValuesView`, copied from the entry, not the class reference:
/// no reference count is written (see `PersonaValuesView`). The table keeps the values alive:
/// a view stays valid until the second time the table is emptied after it was handed out
/// (the entries of the first are kept in `retired`), 50,000 inserts or more later; a matcher
/// holds its views for one record, which inserts at most two.
struct PersonaFieldTable {
    private struct Entry {
        var hash: UInt64
        var flags: UInt8
        /// Where the name's bytes start in `fields`, then the username's.
        var start: Int32
        var namePrint: ShortPrint
        var usernamePrint: ShortPrint
        var view: PersonaValuesView
        /// Keeps `view` valid.
        var values: PersonaValues
    }
    /// The fields of every entry, as written (`Entry.start`).
    private var fields: [UInt8] = []
    /// Each slot holds an index into `entries` plus one (0: empty); kept at most half full.
    private var slots: [Int32] = Array(repeating: 0, count: Self.initialSlots)
    private var entries: [Entry] = []
    /// The entries before the last time the table was emptied (their views stay valid).
    private var retired: [Entry] = []
    private static let initialSlots = 1 << 12
    private static let limit = 50_000

    /// A view of the values stored for `key` (valid as the type's comment says), or nil.
    func find(_ key: PersonaFields) -> PersonaValuesView? {
        guard let k = index(key) else { return nil }
        return entries[k].view
    }

    /// The values stored for `key`, or nil.
    func findValues(_ key: PersonaFields) -> PersonaValues? {
        guard let k = index(key) else { return nil }
        return entries[k].values
    }

    /// The index in `entries` of `key`'s entry, or nil.
    private func index(_ key: PersonaFields) -> Int? {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: key.hash) & mask
        while slots[slot] != 0 {
            let k = Int(slots[slot]) - 1
            if entries[k].hash == key.hash && matches(entries[k], key) { return k }
            slot = (slot + 1) & mask
        }
        return nil
    }

    private func matches(_ entry: Entry, _ key: PersonaFields) -> Bool {
        let difference =
            entry.namePrint.difference(key.namePrint) | entry.usernamePrint.difference(key.usernamePrint)
            | UInt64(entry.flags ^ key.flags)
        guard difference == 0 else { return false }
        if key.printsAreExact { return true }
        return fields.withUnsafeBytes { all in
            let name = Int(entry.start)
            let username = name + key.name.count
            return UnsafeRawBufferPointer(rebasing: all[name..<username]).elementsEqualBytes(key.name)
                && UnsafeRawBufferPointer(rebasing: all[username..<(username + key.username.count)])
                    .elementsEqualBytes(key.username)
        }
    }

    /// Stores `values` for `key` (which `find` does not know).
    mutating func insert(_ key: PersonaFields, _ values: PersonaValues) {
        if entries.count >= Self.limit {
            retired = entries
            entries.removeAll()
            fields.removeAll()
            slots = Array(repeating: 0, count: Self.initialSlots)
        }
        entries.append(
            Entry(
                hash: key.hash, flags: key.flags, start: Int32(fields.count), namePrint: key.namePrint,
                usernamePrint: key.usernamePrint, view: values.view, values: values))
        fields.append(contentsOf: key.name)
        fields.append(contentsOf: key.username)
        place(entries.count - 1)
        if entries.count * 2 > slots.count {
            slots = Array(repeating: 0, count: slots.count * 2)
            for k in entries.indices { place(k) }
        }
    }

    /// Puts entry `k` in the first free slot from its hash's.
    private mutating func place(_ k: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: entries[k].hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(k + 1)
    }
}

/// The persona values made so far by any thread of a run, by the bytes of the persona's name
/// and username as written (`PersonaFields`, as `PersonaValueCache` keys them). Making a
/// persona's values (splitting, case folding and normalizing its names) costs far more than
/// finding them, and with N worker threads each would otherwise make every persona's values N
/// times. The values depend only on those bytes, so which thread made them first cannot change
/// any result. Each thread keeps its own `PersonaValueCache` in front of this table and comes
/// here only for a persona it has not seen yet, so the lock is taken about once per persona per
/// thread.
///
/// Keyed by the unescaped fields (`PersonaValueCache` unescapes a persona's fields only when
/// they have escapes), so a persona written with `\u` escapes in one record and raw in another
/// is made once. A `Dictionary` keyed by a copy of both fields with SipHash cost every new
/// persona about 2k instructions more (callgrind, real20.jsonl, --threads 1).
final class PersonaValueTable: @unchecked Sendable {
    private var table = PersonaFieldTable()
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() {
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// The values stored for `key`, or those `make` gives, stored for the other threads. `make`
    /// runs without the lock (two threads may both make a new persona's values; they are equal,
    /// and the first stored is kept).
    func values(_ key: PersonaFields, make: () -> PersonaValues) -> PersonaValues {
        if let found = find(key) { return found }
        let made = make()
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        if let found = table.findValues(key) { return found }
        table.insert(key, made)
        return made
    }

    private func find(_ key: PersonaFields) -> PersonaValues? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return table.findValues(key)
    }
}
