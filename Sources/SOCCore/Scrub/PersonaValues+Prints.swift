/// A byte string told by its length and two words of its bytes, read without a loop and
/// without reading past it: for 8 bytes or more its first and last eight (which overlap, so
/// up to 16 bytes they hold every byte), for 4 to 7 its first and last four packed in one
/// word, for 1 to 3 its first, middle and last byte. Two strings of at most 16 bytes are equal
/// exactly when their prints are; longer ones with equal prints may differ in the middle.
///
/// How `PersonaMatcher` checks a candidate against a record's values, and how
/// `PersonaFieldTable` hashes and compares a persona's fields, without a `memcmp` call or a
/// byte loop per value: measured with callgrind (bench/data/soc_realistic.jsonl, --threads 1),
/// the loops of length tests and `memcmp` calls mispredicted ~16 branches a candidate.
struct ShortPrint: Equatable {
    var count: Int
    var first: UInt64
    var last: UInt64

    /// The longest string whose print holds every byte.
    static let exactCount = 16

    /// A print no string has (for unused slots).
    static let none = ShortPrint(count: -1, first: 0, last: 0)

    init(count: Int, first: UInt64, last: UInt64) {
        self.count = count
        self.first = first
        self.last = last
    }

    /// The print of `bytes`. Hand-written hot path (one call per `{persona}` candidate).
    @inline(__always)
    init(_ bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        count = n
        guard let p = bytes.baseAddress, n > 0 else {
            first = 0
            last = 0
            return
        }
        if n >= 8 {
            first = p.loadUnaligned(as: UInt64.self)
            last = p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 {
            let low = UInt64(p.loadUnaligned(as: UInt32.self))
            let high = UInt64(p.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
            first = low | high << 32
            last = 0
        } else {
            let a = UInt64(p.load(as: UInt8.self))
            let b = UInt64(p.load(fromByteOffset: n >> 1, as: UInt8.self))
            let c = UInt64(p.load(fromByteOffset: n - 1, as: UInt8.self))
            first = a | b << 8 | c << 16
            last = 0
        }
    }

    /// True when the words read hold no byte above 0x7F (for `count <= exactCount`: the string
    /// is ASCII).
    @inline(__always) var wordsAreASCII: Bool { (first | last) & 0x8080_8080_8080_8080 == 0 }

    /// The print of the string with ASCII `A`-`Z` lowercased (other bytes kept).
    @inline(__always) var asciiLowercased: ShortPrint {
        ShortPrint(count: count, first: Self.lowercased(first), last: Self.lowercased(last))
    }

    /// `word` with each byte `A`-`Z` lowercased, every byte at once: a byte below 0x80 is
    /// upper case when adding 0x3F sets its top bit and adding 0x25 does not (no sum carries
    /// into the next byte).
    @inline(__always) static func lowercased(_ word: UInt64) -> UInt64 {
        let low = word & 0x7F7F_7F7F_7F7F_7F7F
        let atLeastA = low &+ 0x3F3F_3F3F_3F3F_3F3F
        let pastZ = low &+ 0x2525_2525_2525_2525
        let upper = atLeastA & ~pastZ & ~word & 0x8080_8080_8080_8080
        return word | upper >> 2
    }

    /// 0 when equal, else not 0 (for comparisons without a branch).
    @inline(__always) func difference(_ other: ShortPrint) -> UInt64 {
        UInt64(bitPattern: Int64(count ^ other.count)) | (first ^ other.first) | (last ^ other.last)
    }

    /// A hash of the print, its low bits mixed from every bit.
    @inline(__always) var hash: UInt64 {
        let mixed = (first ^ (last << 29 | last >> 35) ^ UInt64(bitPattern: Int64(count))) &* 0x9E37_79B9_7F4A_7C15
        return mixed ^ mixed >> 32
    }
}

extension PersonaValues {
    /// The `prints` of values and keys laid out as `init` stores them: the lowercased print of
    /// each value in which no ASCII letter is followed by a combining mark, then each ASCII
    /// key's print not among them (a non-ASCII value's key can be ASCII: `Strauß`, `strauss`),
    /// without repeats; nil when there are more than `printSlots` (a `PersonaNames` load of
    /// many speakers).
    ///
    /// A candidate (of at most `ShortPrint.exactCount` bytes) whose lowercased print is one of
    /// them is a value. An ASCII candidate lowercased equal to an ASCII key is that key's
    /// value. A candidate that differs from such a value only in the case of ASCII letters has
    /// its key: no letter of either is followed by a mark that NFC could compose with it (`I`
    /// and U+0307 compose to `İ`, whose key is `i`; `i` and U+0307 do not), the rest is the
    /// same bytes, and folding works per scalar and folds ASCII to lowercase. Every ASCII
    /// candidate that is a value has its key's print here; a non-ASCII value left out (or a
    /// candidate differing in non-ASCII letters) is found by folding the candidate.
    static func makePrints(storage: UnsafeRawPointer, bytes: UnsafeRawPointer, rawCount: Int, keyCount: Int)
        -> UnsafeMutablePointer<ShortPrint>?
    {
        let prints = UnsafeMutablePointer<ShortPrint>.allocate(capacity: printSlots)
        prints.initialize(repeating: .none, count: printSlots)
        func item(_ i: Int) -> UnsafeRawBufferPointer {
            let start = i == 0 ? 0 : Int(storage.load(fromByteOffset: 4 * (i - 1), as: Int32.self))
            let end = Int(storage.load(fromByteOffset: 4 * i, as: Int32.self))
            return UnsafeRawBufferPointer(start: bytes + start, count: end - start)
        }
        var count = 0
        func add(_ print: ShortPrint) -> Bool {
            for k in 0..<count where prints[k] == print { return true }
            guard count < printSlots else { return false }
            prints[count] = print
            count += 1
            return true
        }
        var fits = true
        for k in 0..<rawCount where caseSafe(item(k)) { fits = fits && add(ShortPrint(item(k)).asciiLowercased) }
        for k in 0..<keyCount {
            let key = item(rawCount + k)
            if key.allSatisfy({ $0 < 0x80 }) { fits = fits && add(ShortPrint(key)) }
        }
        guard fits else {
            prints.deallocate()
            return nil
        }
        return prints
    }

    /// True when no ASCII letter of `value` is followed by a combining mark (a scalar whose
    /// canonical combining class is not 0: every canonical composition of an ASCII letter is
    /// with one, `I` U+0307 `İ`, `e` U+0308 `ë`); letters before other non-ASCII characters
    /// (`Müller`, `Ilgın`) are safe.
    static func caseSafe(_ value: UnsafeRawBufferPointer) -> Bool {
        for i in value.indices.dropLast()
        where value[i + 1] >= 0x80 && (value[i] | 0x20) >= 0x61 && (value[i] | 0x20) <= 0x7A {
            // Below U+0300 (lead byte 0xCC) no scalar is a combining mark.
            if value[i + 1] < 0xCC { continue }
            let (scalar, _) = BlankText.decode(value, at: i + 1)
            guard let next = Unicode.Scalar(scalar), next.properties.canonicalCombiningClass == .notReordered else {
                return false
            }
        }
        return true
    }
}

/// A key's length and its first and last eight bytes, for `PersonaMatcher.asciiEndsMayMatch`
/// by words.
struct KeyEnds {
    var count: Int
    /// The first `min(count, 8)` bytes, little-endian, zero above them.
    var head: UInt64
    /// The last `min(count, 8)` bytes, the last in the top byte, zero below them.
    var tail: UInt64

    /// Ends no key has (for unused slots).
    static let none = KeyEnds(count: -1, head: 0, tail: 0)

    init(count: Int, head: UInt64, tail: UInt64) {
        self.count = count
        self.head = head
        self.tail = tail
    }

    init(_ key: UnsafeRawBufferPointer) {
        count = key.count
        head = 0
        tail = 0
        for i in 0..<min(count, 8) {
            head |= UInt64(key[i]) << (8 * i)
            tail |= UInt64(key[count - 1 - i]) << (56 - 8 * i)
        }
    }

    /// The slots of `PersonaValues.keyEnds`: a persona has 3 keys.
    static let slots = 3

    /// The ends of the keys `storage` holds after its `rawCount` values (`PersonaValues`'s
    /// layout); nil when there are more than `slots`.
    static func make(storage: UnsafeRawPointer, bytes: UnsafeRawPointer, rawCount: Int, keyCount: Int)
        -> UnsafeMutablePointer<KeyEnds>?
    {
        guard keyCount <= slots else { return nil }
        let ends = UnsafeMutablePointer<KeyEnds>.allocate(capacity: slots)
        ends.initialize(repeating: .none, count: slots)
        for k in 0..<keyCount {
            let i = rawCount + k
            let start = i == 0 ? 0 : Int(storage.load(fromByteOffset: 4 * (i - 1), as: Int32.self))
            let end = Int(storage.load(fromByteOffset: 4 * i, as: Int32.self))
            ends[k] = KeyEnds(UnsafeRawBufferPointer(start: bytes + start, count: end - start))
        }
        return ends
    }
}
