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
        // Three tables of 256: the class above; the byte to write (lowercase or space);
        // 1 for a word byte.
        classes = .allocate(capacity: 768)
        scalarEntries = .allocate(capacity: Self.scalarSlots)
        scalarEntries.initialize(repeating: ScalarEntry(), count: Self.scalarSlots)
        for b in 0..<256 {
            switch b {
            case 0x30...0x39, 0x61...0x7A: classes[b] = UInt8(b)
            case 0x41...0x5A: classes[b] = UInt8(b + 32)
            case 0x80...: classes[b] = 0xFF
            default: classes[b] = 0
            }
            let word = classes[b] != 0 && classes[b] != 0xFF
            classes[256 + b] = word ? classes[b] : 0x20
            classes[512 + b] = word ? 1 : 0
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
        // least one byte plus a separator (or the end). One spare start slot for the ASCII loop.
        reserve(text: count + 1, tokens: count / 2 + 2)
        if Self.isASCII(input) { appendASCII(input) } else { appendUnicode(input) }
    }

    /// Branch-free over the bytes: every byte is written (its lowercase, or a space), and the
    /// write position only advances past a word byte or the first separator after a word.
    private func appendASCII(_ input: UnsafeRawBufferPointer) {
        let bytes = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let written = classes + 256
        let wordBit = classes + 512
        let text = self.text
        let starts = self.starts
        var out = textCount
        var tokens = self.tokens
        var previous = 0
        for i in 0..<input.count {
            let b = Int(bytes[i])
            let word = Int(wordBit[b])
            text[out] = written[b]
            starts[tokens] = Int32(truncatingIfNeeded: out)
            tokens &+= word & (previous ^ 1)
            out &+= word | previous
            previous = word
        }
        if previous == 1 {
            text[out] = 0x20
            out += 1
        }
        textCount = out
        self.tokens = tokens
    }

    private func appendUnicode(_ input: UnsafeRawBufferPointer) {
        let count = input.count
        let bytes = input.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let classes = self.classes
        var out = textCount
        var i = 0
        while i < count {
            let c = classes[Int(bytes[i])]
            if c == 0 {
                i += 1
                continue
            }
            if c == 0xFF, scalarEntry(input, at: i).lowercase == 0 {
                i += Self.sequenceLength(bytes[i])
                continue
            }
            starts[tokens] = Int32(truncatingIfNeeded: out)
            tokens += 1
            var j = i
            while j < count {
                let d = classes[Int(bytes[j])]
                if d == 0 { break }
                if d == 0xFF {
                    let entry = scalarEntry(input, at: j)
                    if entry.lowercase == 0 { break }
                    // Lowercasing may lengthen a scalar (İ is 2 bytes, its lowercase 3): room
                    // for this one and for the rest of the string as it is.
                    let length = Int(entry.lowercase)
                    if out + length + (count - j) + 1 > textCapacity {
                        textCount = out
                        reserve(text: length + (count - j) + 1, tokens: 0)
                    }
                    withUnsafeBytes(of: entry.bytes) { lower in
                        for k in 0..<length { text[out + k] = lower[k] }
                    }
                    out += length
                    j += Self.sequenceLength(bytes[j])
                } else {
                    text[out] = d
                    out += 1
                    j += 1
                }
            }
            text[out] = 0x20
            out += 1
            i = j
        }
        textCount = out
    }

    /// What the shingler needs to know of one non-ASCII scalar: the UTF-8 of its full
    /// lowercase mapping (`lowercase` bytes of `bytes`, in memory order), or `lowercase` 0 when
    /// it is not a letter or digit. `scalar` 0 marks an empty slot.
    private struct ScalarEntry {
        var scalar: UInt32 = 0
        var lowercase: UInt8 = 0
        var bytes: UInt64 = 0
    }

    /// Entries of the non-ASCII scalars seen, direct-mapped by the scalar's low bits. Looking a
    /// scalar's category and lowercase up in Swift's Unicode tables costs hundreds of
    /// instructions (and lowercasing a token built a `String`), and text repeats few scalars.
    private let scalarEntries: UnsafeMutablePointer<ScalarEntry>
    private static let scalarSlots = 4096

    /// The entry of the non-ASCII scalar starting at `i` of valid UTF-8 `text`. A token's
    /// lowercase is the concatenation of its scalars' full lowercase mappings, which is what
    /// Swift's `String.lowercased()` gives (it has no context-dependent mappings).
    private func scalarEntry(_ text: UnsafeRawBufferPointer, at i: Int) -> ScalarEntry {
        let value = Self.scalarValue(text, at: i)
        let slot = Int(value) & (Self.scalarSlots - 1)
        if scalarEntries[slot].scalar == value { return scalarEntries[slot] }
        var entry = ScalarEntry(scalar: value)
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

    /// True when no byte has its high bit set (eight bytes at a time).
    private static func isASCII(_ input: UnsafeRawBufferPointer) -> Bool {
        let count = input.count
        let base = input.baseAddress!
        var i = 0
        var bits: UInt64 = 0
        while i + 8 <= count {
            bits |= base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < count {
            bits |= UInt64(base.load(fromByteOffset: i, as: UInt8.self))
            i += 1
        }
        return bits & 0x8080_8080_8080_8080 == 0
    }

    /// Appends the tokens of a Swift string (tests, small inputs).
    public func append(_ string: String) {
        var string = string
        string.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Calls `body` with the hash of every shingle, in order (duplicates included); none when
    /// there are no tokens.
    public func forEachShingleHash(_ body: (UInt64) -> Void) {
        guard tokens > 0 else { return }
        let shingles = max(1, tokens - ngram + 1)
        let span = min(ngram, tokens)
        for s in 0..<shingles {
            let range = shingleRange(s, span)
            body(XXH3.hash64(text + range.lowerBound, range.count))
        }
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
