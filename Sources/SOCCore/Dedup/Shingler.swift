/// Normalizes a record's text into word tokens and hashes its word n-gram shingles.
///
/// The definition (also in `soc-dedup --help` and docs/dedup.md):
/// - a token is a maximal run of Unicode letters and digits (general categories L* and N*) in a
///   string; anything else separates tokens, and tokens never run across two strings;
/// - each token is lowercased (ASCII by table, other tokens with Swift's full Unicode mapping);
/// - the normalized text is the tokens joined by one space (U+0020);
/// - a shingle is `ngram` consecutive tokens joined by one space; a text with fewer tokens than
///   `ngram` (but at least one) is a single shingle of all its tokens;
/// - a shingle's hash is `XXH3_64bits` of its UTF-8 bytes.
///
/// Because the normalized text is one buffer with single spaces, every shingle is a contiguous
/// slice of it: hashing a shingle neither allocates nor copies (no String per shingle).
public final class Shingler {
    /// Words per shingle.
    public let ngram: Int
    /// The lowercased tokens, each followed by one space.
    private var text: UnsafeMutablePointer<UInt8>
    private var textCapacity: Int
    private var textCount = 0
    /// Start offset of each token in the normalized text.
    private var starts: UnsafeMutablePointer<Int32>
    private var startsCapacity: Int
    private var tokens = 0
    /// Per byte: its lowercase for ASCII letters and digits, 0 for other ASCII, 0xFF for the
    /// bytes of non-ASCII scalars (classified by Unicode properties).
    private let classes: UnsafeMutablePointer<UInt8>

    public init(ngram: Int) {
        precondition(ngram >= 1)
        self.ngram = ngram
        textCapacity = 1 << 16
        text = .allocate(capacity: textCapacity)
        startsCapacity = 1 << 13
        starts = .allocate(capacity: startsCapacity)
        classes = .allocate(capacity: 256)
        scalarEntries = .allocate(capacity: Self.scalarSlots)
        scalarEntries.initialize(repeating: ScalarEntry(), count: Self.scalarSlots)
        for b in 0..<256 {
            switch b {
            case 0x30...0x39, 0x61...0x7A: classes[b] = UInt8(b)
            case 0x41...0x5A: classes[b] = UInt8(b + 32)
            case 0x80...: classes[b] = 0xFF
            default: classes[b] = 0
            }
        }
    }

    deinit {
        text.deallocate()
        starts.deallocate()
        classes.deallocate()
        scalarEntries.deallocate()
    }

    /// Number of tokens appended since the last `reset()`.
    public var tokenCount: Int { tokens }

    /// The normalized text (a copy; tests and documentation).
    public var normalized: [UInt8] { Array(UnsafeBufferPointer(start: text, count: max(0, textCount - 1))) }

    /// Forgets the text (keeps the buffers).
    public func reset() {
        textCount = 0
        tokens = 0
    }

    private func reserve(text extra: Int, tokens more: Int) {
        if textCount + extra > textCapacity {
            let capacity = max(textCapacity * 2, textCount + extra)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: text, count: textCount)
            text.deallocate()
            text = grown
            textCapacity = capacity
        }
        if tokens + more > startsCapacity {
            let capacity = max(startsCapacity * 2, tokens + more)
            let grown = UnsafeMutablePointer<Int32>.allocate(capacity: capacity)
            grown.update(from: starts, count: tokens)
            starts.deallocate()
            starts = grown
            startsCapacity = capacity
        }
    }

    /// Appends the tokens of one string (valid UTF-8).
    ///
    /// The buffer holds every token followed by one space; the normalized text is the buffer
    /// without its last space.
    public func append(_ input: UnsafeRawBufferPointer) {
        let count = input.count
        guard count > 0 else { return }
        // Lowercased ASCII keeps its length; each token adds at most one space, and takes at
        // least one byte plus a separator (or the end).
        reserve(text: count + Self.slack, tokens: count / 2 + 2)
        appendTokens(input, escaped: false)
    }

    /// Appends the tokens of a JSON string given as the bytes between its quotes, escapes and
    /// all (already validated by the parser): the same tokens as `append` of the unescaped
    /// string, a lone surrogate escape being U+FFFD as `JSONDocument.withStringBytes` has it.
    /// The escapes are decoded as the text is tokenized, with no unescaped copy (22M of 369M
    /// instructions on the first 10 MB of the realistic bench file, where half the records are
    /// `\u`-escaped).
    public func appendEscaped(_ content: UnsafeRawBufferPointer) {
        let count = content.count
        guard count > 0 else { return }
        // An escape is longer than what it stands for, so the unescaped bounds hold.
        reserve(text: count + Self.slack, tokens: count / 2 + 2)
        appendTokens(content, escaped: true)
    }

    /// Eight bytes at a time where it can, one byte (or non-ASCII scalar) at a time where it
    /// must. ASCII bytes in which no separator follows a separator map to the output byte for
    /// byte (each letter or digit to its lowercase, each separator to one space), so a word of
    /// eight input bytes is classified, lowercased and stored as one `UInt64`, and the output
    /// moves on by its leading run of such bytes; the byte that ends the run (a separator after
    /// a separator, or a non-ASCII scalar) and the last few bytes of the string take the
    /// per-byte step. Measured with callgrind on the first 10 MB of the realistic bench file,
    /// `--threads 1`: 108M instructions before (a branch-free byte loop for ASCII strings, a
    /// byte loop for the others), 77M for the first version of this loop (an eight-byte word
    /// taken whole or not at all), then (see the commit), for byte-identical output.
    ///
    /// Invariant: `out + (count - i) + Self.slack <= textCapacity` (the room `append`
    /// reserves, kept when a lowercase mapping is longer than its scalar), so an eight-byte
    /// store at `out` stays in the buffer whenever eight input bytes remain.
    private func appendTokens(_ input: UnsafeRawBufferPointer, escaped: Bool) {
        let count = input.count
        let base = input.baseAddress!
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let classes = self.classes
        let starts = self.starts
        var text = self.text
        var out = textCount
        var tokens = self.tokens
        // 1 when the last byte written is part of a token not yet followed by its space.
        var inWord: UInt64 = 0
        var i = 0
        while i < count {
            if count - i >= 8 {
                let x = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                // Adding a constant to a byte below 0x80 does not carry into the next byte, so
                // the high bit of each byte below the first non-ASCII one says `b >= k`; bytes
                // from the first non-ASCII one on are not used.
                let folded = x | Self.ones &* 0x20
                let letter = Self.atLeast(folded, 0x61) & ~Self.atLeast(folded, 0x7B)
                let digit = Self.atLeast(x, 0x30) & ~Self.atLeast(x, 0x3A)
                let word = letter | digit
                let previous = word << 8 | inWord << 7
                var stop = x & Self.highBits | ~word & ~previous & Self.highBits
                if escaped {
                    // Backslashes too: the lowest zero byte of `x ^ "\\"…` is found exactly.
                    let t = x ^ Self.ones &* 0x5C
                    stop |= (t &- Self.ones) & ~t & Self.highBits
                }
                // Letters and digits as `folded` (a digit already has the 0x20 bit), separators
                // as one space each.
                let keep = (word >> 7) &* 0xFF
                let mapped = folded & keep | Self.ones &* 0x20 & ~keep
                if stop == 0 {
                    UnsafeMutableRawPointer(text + out).storeBytes(of: mapped.littleEndian, as: UInt64.self)
                    var first = word & ~previous
                    while first != 0 {
                        starts[tokens] = Int32(truncatingIfNeeded: out &+ first.trailingZeroBitCount >> 3)
                        tokens &+= 1
                        first &= first &- 1
                    }
                    inWord = word >> 63
                    out &+= 8
                    i &+= 8
                    continue
                }
                // The run of bytes before the first non-ASCII byte or doubled separator, taken
                // the same way (the bytes stored past it are overwritten later); the byte that
                // stops it takes the per-byte step below.
                let run = stop.trailingZeroBitCount >> 3
                if run > 0 {
                    UnsafeMutableRawPointer(text + out).storeBytes(of: mapped.littleEndian, as: UInt64.self)
                    var first = word & ~previous & ((1 &<< UInt64(run &* 8)) &- 1)
                    while first != 0 {
                        starts[tokens] = Int32(truncatingIfNeeded: out &+ first.trailingZeroBitCount >> 3)
                        tokens &+= 1
                        first &= first &- 1
                    }
                    inWord = (word >> UInt64(run &* 8 &- 1)) & 1
                    out &+= run
                    i &+= run
                }
            }
            // The per-byte step: one ASCII byte, one escape or one non-ASCII scalar, as the
            // UTF-8 of its lowercase (`lower` bytes of `lowered`) or a separator (`lower` 0).
            let b = bytes[i]
            var advance = 1
            var lowered: UInt64 = 0
            var lower = 0
            if b < 0x80 {
                if b == 0x5C && escaped {
                    let (scalar, length) = Self.escape(bytes, at: i, count: count)
                    advance = length
                    if scalar < 0x80 {
                        lowered = UInt64(classes[Int(scalar)])
                        lower = lowered == 0 ? 0 : 1
                    } else {
                        let entry = scalarEntry(scalar)
                        lowered = entry.bytes
                        lower = Int(entry.lowercase)
                    }
                } else {
                    lowered = UInt64(classes[Int(b)])
                    lower = lowered == 0 ? 0 : 1
                }
            } else {
                advance = Self.sequenceLength(b)
                let entry = scalarEntry(input, at: i, length: advance)
                lowered = entry.bytes
                lower = Int(entry.lowercase)
            }
            if lower == 0 {
                if inWord != 0 {
                    text[out] = 0x20
                    out &+= 1
                    inWord = 0
                }
            } else {
                if inWord == 0 {
                    starts[tokens] = Int32(truncatingIfNeeded: out)
                    tokens &+= 1
                    inWord = 1
                }
                // Lowercasing may lengthen a scalar (İ is 2 bytes, its lowercase 3): room for
                // this one and for the rest of the string as it is.
                if lower > 1 && out + lower + (count - i) + Self.slack > textCapacity {
                    textCount = out
                    reserve(text: lower + (count - i) + Self.slack, tokens: 0)
                    text = self.text
                }
                // Up to 8 bytes, stored whole (the invariant leaves room for them).
                UnsafeMutableRawPointer(text + out).storeBytes(of: lowered, as: UInt64.self)
                out &+= lower
            }
            i &+= advance
        }
        if inWord != 0 {
            text[out] = 0x20
            out &+= 1
        }
        textCount = out
        self.tokens = tokens
    }

    /// Room past the text that the output may need beyond the input's own length: the last
    /// space, and the whole eight-byte stores.
    private static let slack = 9

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// For a word of bytes below 0x80: 0x80 in each byte that is at least `k` (1...0x80), 0
    /// in the others.
    private static func atLeast(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x &+ ones &* (0x80 &- k)) & highBits
    }

    /// What the shingler needs to know of one non-ASCII scalar: the UTF-8 of its full
    /// lowercase mapping (`lowercase` bytes of `bytes`, in memory order), or `lowercase` 0 when
    /// it is not a letter or digit. `key` is the scalar's own UTF-8 bytes (little-endian, 0
    /// above them); 0 marks an empty slot.
    private struct ScalarEntry {
        var key: UInt32 = 0
        var lowercase: UInt8 = 0
        var bytes: UInt64 = 0
    }

    /// Entries of the non-ASCII scalars seen, direct-mapped by a hash of their UTF-8 bytes.
    /// Looking a scalar's category and lowercase up in Swift's Unicode tables costs hundreds of
    /// instructions (and lowercasing a token built a `String`), and text repeats few scalars.
    /// Keyed by the bytes, a hit does not decode the scalar.
    private let scalarEntries: UnsafeMutablePointer<ScalarEntry>
    private static let scalarSlots = 4096

    /// The entry of the non-ASCII scalar of `length` bytes starting at `i` of valid UTF-8
    /// `text`. A token's lowercase is the concatenation of its scalars' full lowercase
    /// mappings, which is what Swift's `String.lowercased()` gives (it has no
    /// context-dependent mappings).
    private func scalarEntry(_ text: UnsafeRawBufferPointer, at i: Int, length: Int) -> ScalarEntry {
        var key: UInt32
        if text.count - i >= 4 {
            key = UInt32(littleEndian: text.baseAddress!.loadUnaligned(fromByteOffset: i, as: UInt32.self))
            key &= UInt32(truncatingIfNeeded: (UInt64(1) &<< UInt64(length &* 8)) &- 1)
        } else {
            key = 0
            for k in 0..<length { key |= UInt32(text[i + k]) << UInt32(k * 8) }
        }
        let slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B1) >> 20) & (Self.scalarSlots - 1)
        if scalarEntries[slot].key == key { return scalarEntries[slot] }
        return newScalarEntry(Self.scalarValue(text, at: i), key: key, slot: slot)
    }

    /// The entry of non-ASCII scalar `value` (from an escape).
    private func scalarEntry(_ value: UInt32) -> ScalarEntry {
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
        let slot = Int(truncatingIfNeeded: (key &* 0x9E37_79B1) >> 20) & (Self.scalarSlots - 1)
        if scalarEntries[slot].key == key { return scalarEntries[slot] }
        return newScalarEntry(value, key: key, slot: slot)
    }

    private func newScalarEntry(_ value: UInt32, key: UInt32, slot: Int) -> ScalarEntry {
        var entry = ScalarEntry(key: key)
        if let scalar = Unicode.Scalar(value), Self.isWord(scalar) {
            var lower: [UInt8] = []
            for mapped in scalar.properties.lowercaseMapping.unicodeScalars { UTF8.encode(mapped) { lower.append($0) } }
            // No lowercase mapping is longer than 8 bytes of UTF-8 (the longest is 3).
            precondition(!lower.isEmpty && lower.count <= 8, "lowercase of U+\(String(value, radix: 16))")
            entry.lowercase = UInt8(lower.count)
            lower.withUnsafeBytes { source in withUnsafeMutableBytes(of: &entry.bytes) { $0.copyMemory(from: source) } }
        }
        scalarEntries[slot] = entry
        return entry
    }

    /// The escape at `i` of a JSON string's content (validated: `\` then one of `"\/bfnrtu`,
    /// `\u` then four hex digits): the scalar it stands for and its length in bytes. A
    /// surrogate pair is one scalar of 12 bytes, a lone surrogate U+FFFD, as
    /// `JSONString.unescape` decodes them. The one-character escapes all stand for ASCII
    /// separators, given as a space.
    private static func escape(_ bytes: UnsafePointer<UInt8>, at i: Int, count: Int) -> (UInt32, Int) {
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

    /// Appends the tokens of a Swift string (tests, small inputs).
    public func append(_ string: String) {
        var string = string
        string.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Calls `body` with the hash of every shingle, in order (duplicates included); none when
    /// there are no tokens.
    ///
    /// Written with wrapping arithmetic and no `Range` per shingle (whose bounds check and
    /// overflow checks cost as much as the loop's own work): 23M instructions before on the
    /// first 10 MB of the realistic bench file, 17M after, XXH3 aside (341.6M to 335.5M in all).
    public func forEachShingleHash(_ body: (UInt64) -> Void) {
        guard tokens > 0 else { return }
        let span = min(ngram, tokens)
        let text = self.text
        let starts = self.starts
        // Shingles 0 ... last; each but the last ends just before the space that precedes
        // token `s + span`, the last one before the text's last space.
        let last = tokens - span
        var s = 0
        while s < last {
            let start = Int(starts[s])
            body(XXH3.hash64(text + start, Int(starts[s &+ span]) &- 1 &- start))
            s &+= 1
        }
        let start = Int(starts[last])
        body(XXH3.hash64(text + start, textCount &- 1 &- start))
    }

    /// Shingle `s` as a byte range: from its first token to just before the space that starts
    /// the token after its last (or the end of the text).
    private func shingleRange(_ s: Int, _ span: Int) -> Range<Int> {
        let start = Int(starts[s])
        let last = s + span
        // Every token is followed by one space in the buffer.
        let end = last < tokens ? Int(starts[last]) - 1 : textCount - 1
        return start..<end
    }

    /// The shingles as strings (tests and documentation only; the hot path never builds them).
    public func shingles() -> [String] {
        guard tokens > 0 else { return [] }
        let span = min(ngram, tokens)
        return (0..<max(1, tokens - ngram + 1)).map { s in
            let range = shingleRange(s, span)
            return String(
                decoding: UnsafeBufferPointer(start: text + range.lowerBound, count: range.count), as: UTF8.self)
        }
    }

    /// `XXH3_64bits` of the normalized text with a fixed seed: the exact-text hash.
    public func normalizedTextHash() -> UInt64? {
        guard tokens > 0 else { return nil }
        return XXH3.hash64(text, textCount - 1, seed: Self.exactTextSeed)
    }

    static let exactTextSeed: UInt64 = 0x736F_632D_7465_7874  // "soc-text"

    private static func sequenceLength(_ lead: UInt8) -> Int {
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
