/// One persona's `{persona}` values (full name, first name, username), as written and folded.
/// Immutable, so one instance serves every thread.
///
/// All values and keys live in one buffer (their end offsets first, then their bytes): two
/// allocations per persona instead of one per value and key plus two arrays. A run meets a few
/// thousand personas and keeps them to the end; making and freeing the arrays cost about 9
/// allocations each (callgrind, real20.jsonl, --threads 1).
final class PersonaValues: @unchecked Sendable {
    /// The values and keys, as pointers into this instance's memory (valid while it lives).
    let view: PersonaValuesView
    /// The number of values (`raw(_:)`); the keys are as many or fewer (`key(_:)`).
    var rawCount: Int { view.rawCount }
    var keyCount: Int { view.keyCount }
    /// The longest key, in bytes.
    var longestKey: Int { view.longestKey }
    /// `printSlots` prints (`makePrints`), unused slots `ShortPrint.none`: how `PersonaMatcher`
    /// checks a candidate against a record's values with no loop per value.
    var prints: UnsafePointer<ShortPrint>? { view.prints }
    /// The slots of `prints`: a persona has 3 values (full name, first name, username).
    static let printSlots = 4
    /// `KeyEnds.slots` ends of the keys (nil when there are more keys).
    var keyEnds: UnsafePointer<KeyEnds>? { view.keyEnds }

    convenience init(raw: [[UInt8]], keys: [[UInt8]]) {
        var scratch = Scratch()
        for value in raw { scratch.add(value) }
        for key in keys { scratch.add(key) }
        self.init(scratch, rawCount: raw.count)
    }

    /// The values and keys `scratch` holds, the first `rawCount` items values, the rest keys.
    /// The storage holds the end offsets (`rawCount + keyCount` Int32s, 4-byte aligned), then
    /// the bytes.
    private init(_ scratch: Scratch, rawCount: Int) {
        let keyCount = scratch.ends.count - rawCount
        var longest = 0
        var start = rawCount == 0 ? 0 : Int(scratch.ends[rawCount - 1])
        for k in rawCount..<scratch.ends.count {
            longest = max(longest, Int(scratch.ends[k]) - start)
            start = Int(scratch.ends[k])
        }
        let header = 4 * scratch.ends.count
        let storage = UnsafeMutableRawPointer.allocate(byteCount: max(header + scratch.bytes.count, 1), alignment: 4)
        scratch.ends.withUnsafeBytes { ends in
            if let base = ends.baseAddress { storage.copyMemory(from: base, byteCount: ends.count) }
        }
        let bytes = storage + header
        scratch.bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { bytes.copyMemory(from: base, byteCount: source.count) }
        }
        let prints = Self.makePrints(storage: storage, bytes: bytes, rawCount: rawCount, keyCount: keyCount)
        let keyEnds = KeyEnds.make(storage: storage, bytes: bytes, rawCount: rawCount, keyCount: keyCount)
        view = PersonaValuesView(
            rawCount: rawCount, keyCount: keyCount, longestKey: longest, storage: storage, bytes: bytes,
            prints: prints.map { UnsafePointer($0) }, keyEnds: keyEnds.map { UnsafePointer($0) })
    }

    deinit {
        UnsafeMutableRawPointer(mutating: view.storage).deallocate()
        view.prints.map { UnsafeMutablePointer(mutating: $0).deallocate() }
        view.keyEnds.map { UnsafeMutablePointer(mutating: $0).deallocate() }
    }

    /// Value `k` (< `rawCount`) as UTF-8.
    @inline(__always) func raw(_ k: Int) -> UnsafeRawBufferPointer { view.raw(k) }

    /// Key `k` (< `keyCount`).
    @inline(__always) func key(_ k: Int) -> UnsafeRawBufferPointer { view.key(k) }

    /// The values as UTF-8 arrays.
    var raw: [[UInt8]] { view.raw }
    /// Their `PersonaKey`s.
    var keys: [[UInt8]] { view.keys }

    /// The values of a persona with this name and username (UTF-8, nil when absent): what
    /// `PersonaNames` gives for this one persona (its full name with the words split at
    /// White_Space joined by single spaces, its first word, its username without surrounding
    /// white space), found in the bytes without building strings.
    convenience init(name: [UInt8]?, username: [UInt8]?) {
        var scratch = Scratch()
        var keyBytes: [UInt8] = []
        func bytes<R>(_ array: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
            guard let array else { return body(nil) }
            return array.withUnsafeBytes { body($0) }
        }
        let rawCount = bytes(name) { name in
            bytes(username) { username in Self.fill(&scratch, keyBytes: &keyBytes, name: name, username: username) }
        }
        self.init(scratch, rawCount: rawCount)
    }

    /// `init(name:username:)` over bytes, made in `scratch` and `keyBytes` (buffers the caller
    /// reuses): one allocation for the storage and one for the object. Making each value and
    /// key its own array cost about 11k instructions per new persona, 35M of scrub's 450M on
    /// real20.jsonl (callgrind, --threads 1).
    static func make(
        name: UnsafeRawBufferPointer?, username: UnsafeRawBufferPointer?, scratch: inout Scratch,
        keyBytes: inout [UInt8]
    ) -> PersonaValues {
        let rawCount = fill(&scratch, keyBytes: &keyBytes, name: name, username: username)
        return PersonaValues(scratch, rawCount: rawCount)
    }

    /// Items (values, then keys) being made, end offsets and bytes as the storage lays them out.
    struct Scratch {
        var ends: [Int32] = []
        var bytes: [UInt8] = []

        mutating func add(_ item: [UInt8]) {
            bytes.append(contentsOf: item)
            ends.append(Int32(bytes.count))
        }

        /// Ends the item written since the last end.
        mutating func end() { ends.append(Int32(bytes.count)) }

        mutating func clear() {
            ends.removeAll(keepingCapacity: true)
            bytes.removeAll(keepingCapacity: true)
        }
    }

    /// Writes the persona's values, then their keys, over `scratch`; the number of values.
    private static func fill(
        _ scratch: inout Scratch, keyBytes: inout [UInt8], name: UnsafeRawBufferPointer?,
        username: UnsafeRawBufferPointer?
    ) -> Int {
        scratch.clear()
        if let name {
            // The words, joined by single spaces, written as they are found.
            var first = 0..<0
            var words = 0
            var start = -1
            var i = 0
            func endWord(_ end: Int) {
                if words == 0 { first = start..<end } else { scratch.bytes.append(UInt8(ascii: " ")) }
                scratch.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: name[start..<end]))
                words += 1
            }
            while i < name.count {
                // ASCII's White_Space is 0x09...0x0D and 0x20 (`BlankText.isWhitespace`): no decoding.
                let byte = name[i]
                var length = 1
                let isSpace: Bool
                if byte < 0x80 {
                    isSpace = BlankText.isASCIIWhitespace(byte)
                } else {
                    let (scalar, count) = BlankText.decode(name, at: i)
                    length = count
                    isSpace = BlankText.isWhitespace(scalar)
                }
                if isSpace {
                    if start >= 0 { endWord(i) }
                    start = -1
                } else if start < 0 {
                    start = i
                }
                i += length
            }
            if start >= 0 { endWord(name.count) }
            if words > 0 {
                scratch.end()
                scratch.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: name[first]))
                scratch.end()
            }
        }
        if let username {
            appendTrimmed(username, to: &scratch.bytes)
            if scratch.bytes.count > Int(scratch.ends.last ?? 0) { scratch.end() }
        }
        let rawCount = scratch.ends.count
        // The keys, made in `keyBytes` (they are read from the values in `scratch.bytes`).
        keyBytes.removeAll(keepingCapacity: true)
        var keyEnds: (Int, Int, Int) = (0, 0, 0)
        scratch.bytes.withUnsafeBytes { all in
            func value(_ k: Int) -> UnsafeRawBufferPointer {
                let start = k == 0 ? 0 : Int(scratch.ends[k - 1])
                return UnsafeRawBufferPointer(rebasing: all[start..<Int(scratch.ends[k])])
            }
            for k in 0..<rawCount {
                // The first name's key is the full name's up to its first space (value 1 is the
                // first name whenever there are two): folding is per scalar, and nothing composes
                // across a space, so its key is not made again (PersonaValuesTests compares every key).
                if k == 1 {
                    let key0 = 0..<keyEnds.0
                    if let space = keyBytes[key0].firstIndex(of: UInt8(ascii: " ")) {
                        for j in 0..<space { keyBytes.append(keyBytes[j]) }
                    } else if value(1).elementsEqualBytes(value(0)) {
                        keyBytes.append(contentsOf: keyBytes[key0])
                    } else {
                        PersonaKey.appendKey(value(1), to: &keyBytes)
                    }
                } else {
                    PersonaKey.appendKey(value(k), to: &keyBytes)
                }
                switch k {
                case 0: keyEnds.0 = keyBytes.count
                case 1: keyEnds.1 = keyBytes.count
                default: keyEnds.2 = keyBytes.count
                }
            }
        }
        let base = scratch.bytes.count
        scratch.bytes.append(contentsOf: keyBytes)
        for k in 0..<rawCount {
            let end = k == 0 ? keyEnds.0 : k == 1 ? keyEnds.1 : keyEnds.2
            scratch.ends.append(Int32(base + end))
        }
        return rawCount
    }

    /// Appends `username` without leading and trailing white space, as `trimmingBlanks` (by
    /// Character) leaves it: text whose first scalar is not White_Space and whose last byte is
    /// ASCII other than white space is kept as it is; anything else goes through
    /// `trimmingBlanks` itself.
    ///
    /// The last Character of such text starts with that ASCII byte or with a Prepend scalar
    /// (none is White_Space: nothing else joins an ASCII scalar after it into one Character),
    /// and `Character.isWhitespace` is its first scalar's White_Space. Non-ASCII usernames
    /// (all of them end with ASCII in the realistic bench data) went through strings at about
    /// 1.9k instructions each (callgrind, real20.jsonl, --threads 1).
    static func appendTrimmed(_ username: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        if let first = username.first, let last = username.last, !BlankText.isASCIIWhitespace(first), last < 0x80,
            !BlankText.isASCIIWhitespace(last)
        {
            var kept = first < 0x80
            if !kept {
                let (value, _) = BlankText.decode(username, at: 0)
                kept = Unicode.Scalar(value).map { !$0.properties.isWhitespace } ?? false
            }
            if kept {
                out.append(contentsOf: username)
                return
            }
        }
        out.append(contentsOf: String(decoding: username, as: UTF8.self).trimmingBlanks.utf8)
    }
}
