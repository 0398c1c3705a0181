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
    /// Per ASCII byte: its lowercase for letters and digits, 0 for the others (escapes that
    /// stand for ASCII).
    private let classes: UnsafeMutablePointer<UInt8>
    /// Non-ASCII scalars' classes and lowercase.
    private let scalarCases = ScalarCaseCache()

    public init(ngram: Int) {
        precondition(ngram >= 1)
        self.ngram = ngram
        textCapacity = 1 << 16
        text = .allocate(capacity: textCapacity)
        startsCapacity = 1 << 13
        starts = .allocate(capacity: startsCapacity)
        classes = .allocate(capacity: 128)
        for b in 0..<128 {
            switch b {
            case 0x30...0x39, 0x61...0x7A: classes[b] = UInt8(b)
            case 0x41...0x5A: classes[b] = UInt8(b + 32)
            default: classes[b] = 0
            }
        }
    }

    deinit {
        text.deallocate()
        starts.deallocate()
        classes.deallocate()
        scalarCases.deallocate()
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

    /// Room for `extra` more bytes of text and `more` token starts. The check is inlined (one per
    /// string, 153K on real20.jsonl: the call was 3.5M instructions); growing is not.
    @inline(__always)
    private func reserve(text extra: Int, tokens more: Int) {
        // Wrapping sums: both are far from overflowing (a string is at most --max-line-bytes).
        if textCount &+ extra > textCapacity || tokens &+ more > startsCapacity { grow(text: extra, tokens: more) }
    }

    @inline(never)
    private func grow(text extra: Int, tokens more: Int) {
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
        reserve(text: count &+ Self.slack, tokens: count &>> 1 &+ 2)
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
        reserve(text: count &+ Self.slack, tokens: count &>> 1 &+ 2)
        appendTokens(content, escaped: true)
    }

    /// Sixteen bytes at a time where it can (`TokenBlock`), one non-ASCII scalar or escape at a
    /// time where it must. A block's ASCII bytes before its first non-ASCII byte (or backslash,
    /// in an escaped string) map to the output byte for byte (letters and digits to their
    /// lowercase, a separator to one space), except a separator that follows a separator, which
    /// is dropped: the block is stored whole when it drops none, else piece by piece between the
    /// dropped bytes (each piece one 16-byte store; the bytes stored past a piece are
    /// overwritten by the next). A string's last bytes take the same step: its last 16 bytes
    /// are loaded whole and the lanes already taken dropped (a string shorter than a block is
    /// copied, padded). Measured with callgrind on real20.jsonl (the first 20 MB of the
    /// realistic bench file), `--threads 1`: 167M instructions for the strings' tokens as an
    /// eight-byte SWAR loop that left separator runs and string ends to a per-byte step, 142M
    /// as this, for byte-identical output (514M to 485M in all).
    ///
    /// Invariant: `out + (count - i) + Self.slack <= textCapacity` (the room `append` reserves,
    /// kept when a lowercase mapping is longer than its scalar), so that the stores of a block
    /// (at most 16 bytes from `out + 16`) stay in the buffer while a byte remains.
    @inline(__always)
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
        var inWord: UInt32 = 0
        var i = 0
        while i < count {
            let b = bytes[i]
            if b < 0x80 && !(escaped && b == 0x5C) {
                // The block step, over the next 16 bytes or the rest of the string (its last 16
                // bytes loaded whole and the lanes already taken dropped; a string shorter than a
                // block copied, padded). Lane 0 is not a stop, so it takes at least one byte.
                let limit = min(count &- i, 16)
                let block: TokenBlock
                if limit == 16 {
                    block = TokenBlock(base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self), escaped: escaped)
                } else if count >= 16 {
                    block = TokenBlock(
                        base.loadUnaligned(fromByteOffset: count &- 16, as: SIMD16<UInt8>.self), escaped: escaped
                    ).droppingFirst(16 &- limit)
                } else {
                    block = TokenBlock(Self.padded(base + i, limit), escaped: escaped)
                }
                // Lanes 0..<end are taken: ASCII, no backslash.
                let end = (block.stops | UInt32(1) &<< UInt32(limit)).trailingZeroBitCount
                let taken = (UInt32(1) &<< UInt32(end)) &- 1
                let previous = block.words &<< 1 | inWord
                var heads = block.words & ~previous & taken
                var drops = ~block.words & ~previous & taken
                // Lane 0 alone dropped (a separator after one, as at a block that follows an
                // emoji or a `\uXXXX` separator) is the whole store one byte back: the byte before
                // `out` is then the space that ended the last token, and lane 0 maps to a space.
                // 1.0M fewer instructions on real20.jsonl than the pieces below (438.4M in all).
                if drops & ~1 == 0 && out >= Int(drops) {
                    let at = out &- Int(drops)
                    UnsafeMutableRawPointer(text + at).storeBytes(of: block.mapped, as: SIMD16<UInt8>.self)
                    while heads != 0 {
                        starts[tokens] = Int32(truncatingIfNeeded: at &+ heads.trailingZeroBitCount)
                        tokens &+= 1
                        heads &= heads &- 1
                    }
                    out = at &+ end
                } else {
                    // Pieces between dropped lanes; lane k goes to `out + k - dropped`.
                    var dropped = 0
                    var from = 0
                    while true {
                        let to = drops == 0 ? end : drops.trailingZeroBitCount
                        let (low, high) = block.mapped(from: from)
                        let target = UnsafeMutableRawPointer(text + (out &+ from &- dropped))
                        target.storeBytes(of: low.littleEndian, as: UInt64.self)
                        target.storeBytes(of: high.littleEndian, toByteOffset: 8, as: UInt64.self)
                        while heads != 0 && heads.trailingZeroBitCount < to {
                            starts[tokens] = Int32(truncatingIfNeeded: out &+ heads.trailingZeroBitCount &- dropped)
                            tokens &+= 1
                            heads &= heads &- 1
                        }
                        if drops == 0 { break }
                        dropped &+= 1
                        from = to &+ 1
                        drops &= drops &- 1
                    }
                    out &+= end &- dropped
                }
                inWord = block.words &>> UInt32(end &- 1) & 1
                i &+= end
                continue
            }
            // The scalar step: one escape or one non-ASCII scalar, as the UTF-8 of its lowercase
            // (`lower` bytes of `lowered`) or a separator (`lower` 0).
            var advance: Int
            var lowered: UInt64
            var lower: Int
            if b < 0x80 {
                // A `\u` escape seen before is looked up by its hex digits (validated: they are
                // in the string), not decoded again.
                let digits =
                    bytes[i &+ 1] == UInt8(ascii: "u")
                    ? UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i &+ 2, as: UInt32.self)) : 0
                if digits != 0, let entry = scalarCases.escapeEntry(digits: digits) {
                    advance = 6
                    lowered = entry.bytes
                    lower = Int(entry.lowercase)
                } else if digits != 0, i &+ 12 <= count, let entry = scalarCases.pairEntry(bytes + i) {
                    advance = 12
                    lowered = entry.bytes
                    lower = Int(entry.lowercase)
                } else {
                    let (scalar, length) = ScalarCaseCache.escape(bytes, at: i, count: count)
                    advance = length
                    if scalar < 0x80 {
                        lowered = UInt64(classes[Int(scalar)])
                        lower = lowered == 0 ? 0 : 1
                    } else {
                        let entry = scalarCases.entry(scalar)
                        lowered = entry.bytes
                        lower = Int(entry.lowercase)
                    }
                    // Six bytes and not U+FFFD: a `\u` escape of a non-surrogate.
                    if length == 6 && scalar != 0xFFFD {
                        scalarCases.rememberEscape(digits: digits, lowercase: lower, bytes: lowered)
                    } else if length == 12 {
                        scalarCases.rememberPair(bytes + i, lowercase: lower, bytes: lowered)
                    }
                }
            } else {
                advance = ScalarCaseCache.sequenceLength(b)
                let entry = scalarCases.entry(input, at: i, length: advance)
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

    /// `count` (< 16) bytes at `p`, zero-padded to a block. Out of line: its buffer on the
    /// stack made every call of `append` and `appendEscaped` set and check a stack guard
    /// (153K calls on real20.jsonl; 431 of them come here).
    @inline(never)
    private static func padded(_ p: UnsafeRawPointer, _ count: Int) -> SIMD16<UInt8> {
        var padded = SIMD16<UInt8>()
        withUnsafeMutableBytes(of: &padded) { $0.baseAddress!.copyMemory(from: p, byteCount: count) }
        return padded
    }

    /// Room past the text that the output may need beyond the input's own length: the last
    /// space, and the whole 16-byte stores of a block.
    private static let slack = 33

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
        let k = ShingleHash.constants
        var s = 0
        while s < last {
            let start = Int(starts[s])
            body(ShingleHash.hash(text + start, Int(starts[s &+ span]) &- 1 &- start, k))
            s &+= 1
        }
        let start = Int(starts[last])
        body(ShingleHash.hash(text + start, textCount &- 1 &- start, k))
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
}
