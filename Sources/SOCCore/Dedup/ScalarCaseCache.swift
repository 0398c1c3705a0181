/// What the shingler needs to know of one non-ASCII scalar: the UTF-8 of its full lowercase
/// mapping (`lowercase` bytes of `bytes`, in memory order), or `lowercase` 0 when it is not a
/// letter or digit. `key` is the scalar's own UTF-8 bytes (little-endian, 0 above them); 0 marks
/// an empty slot.
struct ScalarCase {
    var key: UInt32 = 0
    var lowercase: UInt8 = 0
    var bytes: UInt64 = 0
}

/// The `ScalarCase` of the non-ASCII scalars seen, by a hash of their UTF-8 bytes. Looking a
/// scalar's category and lowercase up in Swift's Unicode tables costs hundreds of instructions
/// (and lowercasing a token built a `String`), and text repeats few scalars. Keyed by the bytes,
/// a hit does not decode the scalar.
///
/// Two ways a set (slots `2k` and `2k + 1`, the newest first; a new key moves the set's first
/// to its second): direct-mapped, two frequent scalars of one slot evicted each other at every
/// turn. The 100 MB bench file has 227 distinct scalars and 210 distinct escapes, yet 6.8K
/// scalars and 22.8K escapes missed (a miss of a scalar took ~1,000 instructions and its own
/// code out of the instruction cache); in two ways, 230 do, about as many as there are keys
/// (soc-dedup's cost 749.9 -> 748.0, `--threads 1`, callgrind: 0.28M first-level instruction
/// misses fewer, and the second way's test 1.2M instructions more).
///
/// Owned by one `Shingler`, which calls `deallocate()` when it goes.
struct ScalarCaseCache {
    private let entries: UnsafeMutablePointer<ScalarCase>
    private static let slots = 4096
    /// The same for `\uXXXX` escapes of non-surrogates (ASCII ones included: `bytes` then holds
    /// the class byte), keyed by their four hex digits as they stand, so that a hit neither
    /// decodes the digits nor encodes the scalar: half the records of the realistic bench file
    /// write every non-ASCII scalar as an escape (escaped strings' tokens: 49.5M instructions
    /// before, 43.3M after, on real20.jsonl).
    private let escapes: UnsafeMutablePointer<ScalarCase>
    private static let escapeSlots = 4096
    /// The same for surrogate-pair escapes (`EscapePairCache.swift`).
    let pairs: UnsafeMutablePointer<EscapePair>
    static let pairSlots = 256

    init() {
        entries = .allocate(capacity: Self.slots)
        entries.initialize(repeating: ScalarCase(), count: Self.slots)
        escapes = .allocate(capacity: Self.escapeSlots)
        escapes.initialize(repeating: ScalarCase(), count: Self.escapeSlots)
        pairs = .allocate(capacity: Self.pairSlots)
        pairs.initialize(repeating: EscapePair(), count: Self.pairSlots)
    }

    func deallocate() {
        entries.deallocate()
        escapes.deallocate()
        pairs.deallocate()
    }

    /// The entry remembered for the `\u` escape with hex digits `digits` (its four bytes after
    /// `\u`, little-endian; never 0), or nil.
    @inline(__always)
    func escapeEntry(digits: UInt32) -> ScalarCase? {
        let set = Self.escapeSlot(digits)
        // The way that holds `digits`, if either does, picked without a branch: as two tests,
        // the first was mispredicted at every surrogate pair (which this cache never holds)
        // and every second-way hit, 183K times on the 100 MB bench file (`appendEscaped`'s cost
        // 80.3 -> 78.9, `--threads 1`, callgrind). Not for the scalars' own entries, which
        // the first way holds as a rule (`append` 53.4 -> 54.6 so).
        let way = set &+ (escapes[set &+ 1].key == digits ? 1 : 0)
        return escapes[way].key == digits ? escapes[way] : nil
    }

    /// Remembers what the `\u` escape with hex digits `digits` (not a surrogate) stands for.
    func rememberEscape(digits: UInt32, lowercase: Int, bytes: UInt64) {
        let set = Self.escapeSlot(digits)
        escapes[set + 1] = escapes[set]
        escapes[set] = ScalarCase(key: digits, lowercase: UInt8(lowercase), bytes: bytes)
    }

    /// The first slot of the set of `digits`.
    @inline(__always)
    static func escapeSlot(_ digits: UInt32) -> Int {
        Int(truncatingIfNeeded: (digits &* 0x9E37_79B1) >> 20) & (escapeSlots - 2)
    }

    /// The entry of the non-ASCII scalar of `length` bytes starting at `i` of valid UTF-8
    /// `text`. A token's lowercase is the concatenation of its scalars' full lowercase
    /// mappings, which is what Swift's `String.lowercased()` gives (it has no
    /// context-dependent mappings).
    ///
    /// Inlined into the tokenizer (a hit is a load, a multiply and a compare: as a call it cost
    /// as much again); a miss is not. With the room check's wrapping sums, unescaped strings'
    /// tokens took 68.3M instructions before on real20.jsonl, 62.0M after.
    @inline(__always)
    func entry(_ text: UnsafeRawBufferPointer, at i: Int, length: Int) -> ScalarCase {
        var key: UInt32
        if text.count - i >= 4 {
            key = UInt32(littleEndian: text.baseAddress!.loadUnaligned(fromByteOffset: i, as: UInt32.self))
            key &= UInt32(truncatingIfNeeded: (UInt64(1) &<< UInt64(length &* 8)) &- 1)
        } else {
            key = 0
            for k in 0..<length { key |= UInt32(text[i + k]) << UInt32(k * 8) }
        }
        let set = Self.slot(key)
        if entries[set].key == key { return entries[set] }
        if entries[set &+ 1].key == key { return entries[set &+ 1] }
        return newEntry(text, at: i, key: key, set: set)
    }

    @inline(never)
    private func newEntry(_ text: UnsafeRawBufferPointer, at i: Int, key: UInt32, set: Int) -> ScalarCase {
        newEntry(Self.scalarValue(text, at: i), key: key, set: set)
    }

    /// The entry of non-ASCII scalar `value` (from an escape).
    func entry(_ value: UInt32) -> ScalarCase {
        // Its UTF-8 bytes, little-endian, as the key.
        let key: UInt32
        if value < 0x800 {
            key = (0xC0 | value >> 6) | (0x80 | value & 0x3F) << 8
        } else if value < 0x1_0000 {
            key = (0xE0 | value >> 12) | (0x80 | value >> 6 & 0x3F) << 8 | (0x80 | value & 0x3F) << 16
        } else {
            key =
                (0xF0 | value >> 18) | (0x80 | value >> 12 & 0x3F) << 8 | (0x80 | value >> 6 & 0x3F) << 16
                | (0x80 | value & 0x3F) << 24
        }
        let set = Self.slot(key)
        if entries[set].key == key { return entries[set] }
        if entries[set &+ 1].key == key { return entries[set &+ 1] }
        return newEntry(value, key: key, set: set)
    }

    /// The first slot of the set of `key`.
    @inline(__always)
    static func slot(_ key: UInt32) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B1) >> 20) & (slots - 2)
    }

    /// Makes the entry of `value` the first of its set (the set's first moves to its second).
    @inline(never)
    private func newEntry(_ value: UInt32, key: UInt32, set: Int) -> ScalarCase {
        var entry = ScalarCase(key: key)
        if let scalar = Unicode.Scalar(value), Self.isWord(scalar) {
            var lower: [UInt8] = []
            for mapped in scalar.properties.lowercaseMapping.unicodeScalars { UTF8.encode(mapped) { lower.append($0) } }
            // No lowercase mapping is longer than 8 bytes of UTF-8 (the longest is 3).
            precondition(!lower.isEmpty && lower.count <= 8, "lowercase of U+\(String(value, radix: 16))")
            entry.lowercase = UInt8(lower.count)
            lower.withUnsafeBytes { source in withUnsafeMutableBytes(of: &entry.bytes) { $0.copyMemory(from: source) } }
        }
        entries[set + 1] = entries[set]
        entries[set] = entry
        return entry
    }

    /// The escape at `i` of a JSON string's content (validated: `\` then one of `"\/bfnrtu`,
    /// `\u` then four hex digits): the scalar it stands for and its length in bytes. A
    /// surrogate pair is one scalar of 12 bytes, a lone surrogate U+FFFD, as
    /// `JSONString.unescape` decodes them. The one-character escapes all stand for ASCII
    /// separators, given as a space.
    static func escape(_ bytes: UnsafePointer<UInt8>, at i: Int, count: Int) -> (UInt32, Int) {
        guard bytes[i + 1] == UInt8(ascii: "u") else { return (0x20, 2) }
        let high = hex4(bytes + i + 2)
        if high & 0xF800 != 0xD800 { return (high, 6) }
        if high < 0xDC00, i + 12 <= count, bytes[i + 6] == UInt8(ascii: "\\"), bytes[i + 7] == UInt8(ascii: "u") {
            let low = hex4(bytes + i + 8)
            if low & 0xFC00 == 0xDC00 { return (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00), 12) }
        }
        return (0xFFFD, 6)
    }

    /// Four hex digits (validated).
    private static func hex4(_ p: UnsafePointer<UInt8>) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 {
            let d = UInt32(p[k])
            // '0'–'9' are 0x30–0x39; 'A'–'F' and 'a'–'f' have 0x40 set and end in 1–6.
            value = value << 4 | (d & 0x40 == 0 ? d & 0x0F : (d & 0x0F) + 9)
        }
        return value
    }

    /// The length of the UTF-8 sequence that `lead` (a non-ASCII lead byte) starts.
    static func sequenceLength(_ lead: UInt8) -> Int {
        lead < 0xE0 ? 2 : (lead < 0xF0 ? 3 : 4)
    }

    /// The scalar starting at `i` of valid UTF-8 `text` (non-ASCII: 2 to 4 bytes).
    private static func scalarValue(_ text: UnsafeRawBufferPointer, at i: Int) -> UInt32 {
        let lead = UInt32(text[i])
        switch sequenceLength(text[i]) {
        case 2: return (lead & 0x1F) << 6 | UInt32(text[i + 1] & 0x3F)
        case 3: return (lead & 0x0F) << 12 | UInt32(text[i + 1] & 0x3F) << 6 | UInt32(text[i + 2] & 0x3F)
        default:
            return (lead & 0x07) << 18 | UInt32(text[i + 1] & 0x3F) << 12 | UInt32(text[i + 2] & 0x3F) << 6
                | UInt32(text[i + 3] & 0x3F)
        }
    }

    /// True when `scalar` is a letter or a digit (L*, N*).
    private static func isWord(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}
