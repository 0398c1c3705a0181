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
public struct Shingler {
    /// Words per shingle.
    public let ngram: Int
    /// The normalized text: lowercased tokens separated by single spaces.
    public private(set) var normalized: [UInt8] = []
    /// Start offset of each token in `normalized`.
    private var starts: [Int32] = []
    /// Scratch for non-ASCII tokens.
    private var scratch: [UInt8] = []

    public init(ngram: Int) {
        precondition(ngram >= 1)
        self.ngram = ngram
        normalized.reserveCapacity(1 << 16)
        starts.reserveCapacity(1 << 13)
    }

    /// Number of tokens appended since the last `reset()`.
    public var tokenCount: Int { starts.count }

    /// Forgets the text (keeps the buffers).
    public mutating func reset() {
        normalized.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
    }

    /// Appends the tokens of one string (valid UTF-8).
    public mutating func append(_ text: UnsafeRawBufferPointer) {
        let count = text.count
        var i = 0
        while i < count {
            let byte = text[i]
            if byte < 0x80 {
                if Self.asciiClass[Int(byte)] == 0 { i += 1; continue }
            } else if !Self.isWordScalar(text, at: i) {
                i += Self.sequenceLength(byte)
                continue
            }
            // A token starts at i: scan to its end, noting whether it is all ASCII.
            var j = i
            var ascii = true
            while j < count {
                let b = text[j]
                if b < 0x80 {
                    if Self.asciiClass[Int(b)] == 0 { break }
                    j += 1
                } else {
                    if !Self.isWordScalar(text, at: j) { break }
                    ascii = false
                    j += Self.sequenceLength(b)
                }
            }
            if !starts.isEmpty { normalized.append(0x20) }
            starts.append(Int32(truncatingIfNeeded: normalized.count))
            if ascii {
                for k in i..<j { normalized.append(Self.asciiLower[Int(text[k])]) }
            } else {
                let token = String(decoding: UnsafeRawBufferPointer(rebasing: text[i..<j]), as: UTF8.self)
                normalized.append(contentsOf: token.lowercased().utf8)
            }
            i = j
        }
    }

    /// Appends the tokens of a Swift string (tests, small inputs).
    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Calls `body` with the hash of every shingle, in order (duplicates included); none when
    /// there are no tokens.
    @inline(__always)
    public func forEachShingleHash(_ body: (UInt64) -> Void) {
        let tokens = starts.count
        guard tokens > 0 else { return }
        normalized.withUnsafeBytes { buffer in
            let base = buffer.baseAddress!
            let total = buffer.count
            let shingles = max(1, tokens - ngram + 1)
            let span = min(ngram, tokens)
            for s in 0..<shingles {
                let start = Int(starts[s])
                let last = s + span
                // A shingle ends just before the space that starts the next token (or at the end).
                let end = last < tokens ? Int(starts[last]) - 1 : total
                body(XXH3.hash64(base + start, end - start))
            }
        }
    }

    /// The shingles as strings (tests and documentation only; the hot path never builds them).
    public func shingles() -> [String] {
        var result: [String] = []
        normalized.withUnsafeBytes { buffer in
            let tokens = starts.count
            guard tokens > 0 else { return }
            let span = min(ngram, tokens)
            for s in 0..<max(1, tokens - ngram + 1) {
                let start = Int(starts[s])
                let end = s + span < tokens ? Int(starts[s + span]) - 1 : buffer.count
                result.append(String(decoding: UnsafeRawBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self))
            }
        }
        return result
    }

    /// `XXH3_64bits` of the normalized text with a fixed seed: the exact-text hash.
    public func normalizedTextHash() -> UInt64? {
        guard !starts.isEmpty else { return nil }
        return normalized.withUnsafeBytes { XXH3.hash64($0.baseAddress!, $0.count, seed: Self.exactTextSeed) }
    }

    static let exactTextSeed: UInt64 = 0x736F_632D_7465_7874 // "soc-text"

    // MARK: Character classes

    /// 1 for ASCII letters and digits.
    private static let asciiClass: [UInt8] = (0..<128).map { (b: Int) -> UInt8 in
        let digit = b >= 0x30 && b <= 0x39
        let upper = b >= 0x41 && b <= 0x5A
        let lower = b >= 0x61 && b <= 0x7A
        return digit || upper || lower ? 1 : 0
    }

    private static let asciiLower: [UInt8] = (0..<128).map { (b: Int) -> UInt8 in
        b >= 0x41 && b <= 0x5A ? UInt8(b + 32) : UInt8(b)
    }

    @inline(__always)
    private static func sequenceLength(_ lead: UInt8) -> Int {
        lead < 0xE0 ? 2 : (lead < 0xF0 ? 3 : 4)
    }

    /// True when the non-ASCII scalar starting at `i` is a letter or a digit (L*, N*).
    private static func isWordScalar(_ text: UnsafeRawBufferPointer, at i: Int) -> Bool {
        let lead = UInt32(text[i])
        var value: UInt32
        let length = sequenceLength(text[i])
        guard i + length <= text.count else { return false }
        switch length {
        case 2: value = (lead & 0x1F) << 6 | UInt32(text[i + 1] & 0x3F)
        case 3: value = (lead & 0x0F) << 12 | UInt32(text[i + 1] & 0x3F) << 6 | UInt32(text[i + 2] & 0x3F)
        default: value = (lead & 0x07) << 18 | UInt32(text[i + 1] & 0x3F) << 12 | UInt32(text[i + 2] & 0x3F) << 6 | UInt32(text[i + 3] & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return false }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }
}
