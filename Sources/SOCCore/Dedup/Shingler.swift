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
    private(set) var text: UnsafeMutablePointer<UInt8>
    private var textCapacity: Int
    private(set) var textCount = 0
    /// Start offset of each token in the normalized text, and one past the text's end: made by
    /// `forEachShingleHash` from the spaces of the text, not by the tokenizer.
    private(set) var starts: UnsafeMutablePointer<Int32>
    private(set) var startsCapacity: Int
    /// Per ASCII byte: its lowercase for letters and digits, 0 for the others (escapes that
    /// stand for ASCII).
    private let classes: UnsafeMutablePointer<UInt8>
    /// Non-ASCII scalars' classes and lowercase.
    private let scalarCases = ScalarCaseCache()

    public init(ngram: Int) {
        precondition(ngram >= 1)
        self.ngram = ngram
        textCapacity = 1 << 16
        text = Self.allocateText(textCapacity)
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
        (text - 1).deallocate()
        starts.deallocate()
        classes.deallocate()
        scalarCases.deallocate()
    }

    /// Whether any token was appended since the last `reset()`.
    public var hasTokens: Bool { textCount > 0 }

    /// Forgets the text (keeps the buffers).
    public func reset() {
        textCount = 0
    }

    /// Room for `extra` more bytes of text. The check is inlined (one per string, 153K on
    /// real20.jsonl: the call was 3.5M instructions); growing is not.
    @inline(__always)
    func reserve(text extra: Int) {
        // A wrapping sum: far from overflowing (a string is at most --max-line-bytes).
        if textCount &+ extra > textCapacity { grow(text: extra) }
    }

    @inline(never)
    private func grow(text extra: Int) {
        let capacity = max(textCapacity * 2, textCount + extra)
        let grown = Self.allocateText(capacity)
        grown.update(from: text, count: textCount)
        (text - 1).deallocate()
        text = grown
        textCapacity = capacity
    }

    /// `capacity` bytes of text after one byte of its own: the block step may store a block one
    /// byte back at the text's start (`appendTokens`).
    private static func allocateText(_ capacity: Int) -> UnsafeMutablePointer<UInt8> {
        UnsafeMutablePointer<UInt8>.allocate(capacity: capacity + 1) + 1
    }

    /// Room for `count` token starts (their values are not kept).
    @inline(never)
    func growStarts(_ count: Int) {
        starts.deallocate()
        startsCapacity = max(startsCapacity * 2, count)
        starts = .allocate(capacity: startsCapacity)
    }

    /// Appends the tokens of one string (valid UTF-8).
    ///
    /// The buffer holds every token followed by one space; the normalized text is the buffer
    /// without its last space.
    public func append(_ input: UnsafeRawBufferPointer) {
        append(input, readable: input.count)
    }

    /// `append(input)`, where `readable` bytes from `input`'s start (at least its count) may be
    /// read: the tokenizer then loads a string's last block where it stands, past the string's
    /// end (`appendTokens`), when what follows the string is its closing quote (`input` is a
    /// JSON string's content); else it reads no further than `input`.
    ///
    /// Out of line, as `appendEscaped(_:readable:)`: inlined into their callers, they left
    /// `appendTokens` one function testing `escaped` at run time (soc-dedup's cost 792.9 ->
    /// 821.8 on the 100 MB bench file).
    @inline(never)
    public func append(_ input: UnsafeRawBufferPointer, readable: Int) {
        let count = input.count
        guard count > 0 else { return }
        precondition(readable >= count)
        reserve(text: Self.room(count))
        appendTokens(input, readable: readable, escaped: false)
    }

    /// Appends the tokens of a JSON string given as the bytes between its quotes, escapes and
    /// all (already validated by the parser): the same tokens as `append` of the unescaped
    /// string, a lone surrogate escape being U+FFFD as `JSONDocument.withStringBytes` has it.
    /// The escapes are decoded as the text is tokenized, with no unescaped copy (22M of 369M
    /// instructions on the first 10 MB of the realistic bench file, where half the records are
    /// `\u`-escaped).
    public func appendEscaped(_ content: UnsafeRawBufferPointer) {
        appendEscaped(content, readable: content.count)
    }

    /// `appendEscaped(content)`, where `readable` bytes from `content`'s start (at least its
    /// count) may be read, as for `append(_:readable:)` (past the content only when its closing
    /// quote follows it).
    @inline(never)
    public func appendEscaped(_ content: UnsafeRawBufferPointer, readable: Int) {
        let count = content.count
        guard count > 0 else { return }
        precondition(readable >= count)
        reserve(text: Self.room(count))
        appendTokens(content, readable: readable, escaped: true)
    }

    /// Thirty-two bytes at a time where it can (two `TokenBlock`s), one non-ASCII scalar or
    /// escape at a time where it must. A step's ASCII bytes before its first non-ASCII byte (or
    /// backslash, in an escaped string) map to the output byte for byte (letters and digits to
    /// their lowercase, a separator to one space), except a separator that follows a separator,
    /// which is dropped: the first one past the step's lane 0 ends the step, which skips it, so
    /// the step is stored whole (one byte back when its lane 0 is dropped). Near the end of what
    /// may be read, 16 bytes at a time (`tailBlock`), the string's last ones loaded whole and the
    /// lanes already taken dropped. Measured with callgrind on real20.jsonl (the first 20 MB of
    /// the realistic bench file), `--threads 1`: 167M instructions for the strings' tokens as an
    /// eight-byte SWAR loop that left separator runs and string ends to a per-byte step, 142M as
    /// 16-byte blocks, for byte-identical output (514M to 485M in all). Then 16-byte blocks
    /// stored piece by piece between the dropped lanes, whose branch (none dropped but lane 0,
    /// one run of them, more) was mispredicted at about every block that dropped any (0.55M
    /// times on the 100 MB bench file): 32-byte steps that end at a dropped lane take 38% fewer
    /// steps, none with a branch on its drops (soc-dedup's cost 744.8 -> 735.1 there,
    /// `--threads 1`; `append` 61.7 -> 53.4, `appendEscaped`, whose escapes end more steps,
    /// 83.3 -> 80.2).
    ///
    /// Invariant: `out + Self.room(count - i) <= textCapacity` (the room `append` reserves), so
    /// that the stores of a step (32 bytes from `out - 1`; a tail block's at most 16 bytes from
    /// `out + 16`) and of a scalar (8 bytes at `out`) stay in the buffer while a byte remains. A
    /// step keeps it: a block maps its bytes one to one or drops some, and a scalar step's output
    /// is at most one and a half times its input (`room`).
    @inline(__always)
    private func appendTokens(_ input: UnsafeRawBufferPointer, readable: Int, escaped: Bool) {
        let count = input.count
        let base = input.baseAddress!
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        // Blocks are loaded past the string's end only where its closing quote follows: that
        // quote then ends the block (`TokenBlock`'s `quoted`).
        let readable = readable > count && bytes[count] == 0x22 ? readable : count
        // The last `i` whose step may load its 32 bytes whole (36 bytes readable): one compare a step.
        let wholeBlocks = readable &- 36
        let classes = self.classes
        let text = self.text
        var out = textCount
        // 1 when the last byte written is part of a token not yet followed by its space.
        var inWord: UInt32 = 0
        // Steps of 32 bytes while 36 bytes from `i` may be read (as a rule the whole string, its
        // line readable past it): one compare a step for both bounds, where the string's end and
        // `wholeBlocks` took two (`appendEscaped`'s cost 79.5 -> 77.3 on the 100 MB bench file,
        // `append`'s 53.7 -> 53.5, `--threads 1`, callgrind).
        let stepLimit = min(wholeBlocks, count &- 1)
        var i = 0
        while i <= stepLimit {
            let b = bytes[i]
            if b < 0x80 && !(escaped && b == 0x5C) {
                // A run of separators gives what its last one gives: `", "` (a closing quote,
                // a comma, a space and an opening quote: between two strings of a JSON array,
                // which `Fingerprinter` gives as one text) is skipped to its last quote, which
                // the block takes as its lane 0. Without a branch (as a branch after the scalar
                // step too, mispredicted at each boundary); 35 bytes from `i` may be read. In a
                // JSON string's content a quote is escaped, and the scalar step takes the
                // escape whole, so only a boundary puts a quote at `i`.
                let next = UInt32(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                // As a branch, not a select: the select put the 4-byte load and its compare on
                // the chain from one step's `i` to the next block's load; predicted, the block
                // loads at `i` at once. soc-dedup's CPU -1.5..-1.8% (ab1, `--threads 1`, three
                // runs of 15-21), though callgrind's cost +5.8 (0.53M mispredicts, at the strings'
                // boundaries, which the real CPU predicts): taken, as issue 10 measures real time.
                if _slowPath(next == 0x2220_2C22) { i &+= 3 }
                // Two blocks of 16 lanes, one step of 32. The closing quote is a stop
                // (`readable` reaches past the string only when it follows): the string's end
                // needs no lane of its own. Lane 0 is not: the string's own bytes are no quote
                // but the boundary's last (a quote in `append`'s text, which is no JSON content,
                // only ends a block early, and the next takes it).
                let low = TokenBlock(
                    base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self), escaped: escaped, quoted: true)
                let high = TokenBlock(
                    base.loadUnaligned(fromByteOffset: i &+ 16, as: SIMD16<UInt8>.self), escaped: escaped,
                    quoted: true)
                let words = low.words | high.words &<< 16
                let stops = (low.stops | high.stops &<< 16) & ~1
                // The lanes dropped: separators after a separator (not stops, which the scalar
                // step takes). The first one past lane 0 ends the step, which skips it: the
                // lanes taken then drop none but lane 0, and lane 0 alone dropped (a separator
                // after one, as at a block that follows an emoji, a `\uXXXX` separator or a
                // skipped lane) is the whole store one byte back: the byte before `out` is
                // then the space that ended the last token, and lane 0 maps to a space. At the
                // text's start (`out` 0) the store begins in the byte before the text
                // (`allocateText`).
                let shifted = UInt64(words) &<< 1
                let covered = words | UInt32(truncatingIfNeeded: shifted)
                let drops = ~(covered | inWord | stops)
                // Lanes 0..<end are taken: ASCII, no backslash. The first stop or drop past lane
                // 0 is the first lane of `stops | ~covered` past it, with no `inWord` in it;
                // widened before the `~`, its bits 32... bound the step. Shorter than
                // `stops | drops & ~1 | 1 << 32` on the loop-carried chain from the block's
                // load to the next `i`, which is what the step waits on (`perf annotate`):
                // 2.7M instructions fewer on the 100 MB bench file, soc-dedup's CPU time -0.6
                // to -0.9% (wall -1.0 to -1.6%) in paired runs of 21 (`--threads 1`);
                // callgrind's cost 723.8 -> 726.1, its mispredicts moved by the layout to
                // untouched lines.
                let end = (UInt64(stops) | ~UInt64(covered | 1)).trailingZeroBitCount
                let at = out &- Int(truncatingIfNeeded: drops & 1)
                let target = UnsafeMutableRawPointer(text + at)
                target.storeBytes(of: low.mapped, as: SIMD16<UInt8>.self)
                target.storeBytes(of: high.mapped, toByteOffset: 16, as: SIMD16<UInt8>.self)
                out = at &+ end
                // Lane `end - 1`'s bit, from the shifted lanes (a skipped lane follows a
                // separator: 0 then too). Shift counts converted without a range check.
                inWord = UInt32(truncatingIfNeeded: shifted &>> UInt64(truncatingIfNeeded: end)) & 1
                i &+= end &+ Int(truncatingIfNeeded: UInt64(drops) &>> UInt64(truncatingIfNeeded: end)) & 1
                continue
            }
            i &+= scalarStep(input, at: i, text: text, classes: classes, out: &out, inWord: &inWord)
        }
        // Near the end of what may be read: 16 bytes at a time (`tailBlock`), the scalar step
        // out of line (once a document or so).
        while i < count {
            let b = bytes[i]
            if b < 0x80 && !(escaped && b == 0x5C) {
                i &+= Self.tailBlock(
                    base, at: i, count: count, escaped: escaped, text: text, out: &out, inWord: &inWord)
            } else {
                i &+= tailScalarStep(input, at: i, text: text, classes: classes, out: &out, inWord: &inWord)
            }
        }
        // The last token's space, stored whatever `inWord` is and kept when it is 1 (the buffer
        // has room for it: `slack`). As a branch, mispredicted 117K times on the 100 MB bench
        // file: whether a string ends in a token is random.
        text[out] = 0x20
        out &+= Int(truncatingIfNeeded: inWord)
        textCount = out
    }

    /// The scalar step at `i` of `input`: one escape (a backslash, in an escaped string) or one
    /// non-ASCII scalar, stored as the UTF-8 of its lowercase or as a separator at `text + out`
    /// (advancing `out`, and `inWord` as `appendTokens` keeps it); returns the bytes it took.
    @inline(__always)
    private func scalarStep(
        _ input: UnsafeRawBufferPointer, at i: Int, text: UnsafeMutablePointer<UInt8>,
        classes: UnsafeMutablePointer<UInt8>, out: inout Int, inWord: inout UInt32
    ) -> Int {
        let count = input.count
        let base = input.baseAddress!
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let b = bytes[i]
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
        // No room check: `room` covers the longest lowercase (see `room`).
        assert(lower <= advance &+ advance &>> 1, "a lowercase longer than room(_:) allows")
        // A letter or digit stores its lowercase (up to 8 bytes, stored whole: the invariant
        // leaves room for them) and is in a word; a separator stores the space that ends the
        // word before it, kept only when there is one. By arithmetic (`isWord` is 1 for
        // `lower` 1...8, 0 for 0): as a branch, or as selects (which LLVM made a branch on
        // the loaded `lower` again), whether a scalar is a letter was mispredicted 0.3M times
        // on the 100 MB bench file.
        let isWord = (lower &+ 7) &>> 3
        let wordMask = 0 &- UInt64(truncatingIfNeeded: isWord)
        UnsafeMutableRawPointer(text + out).storeBytes(of: 0x20 ^ ((lowered ^ 0x20) & wordMask), as: UInt64.self)
        out &+= lower | (Int(truncatingIfNeeded: inWord) & (isWord ^ 1))
        inWord = UInt32(truncatingIfNeeded: isWord)
        return advance
    }

    /// `scalarStep` out of line: the tail loop's (its inlined copy would double the scalar step's
    /// code for a path taken about once a document).
    @inline(never)
    private func tailScalarStep(
        _ input: UnsafeRawBufferPointer, at i: Int, text: UnsafeMutablePointer<UInt8>,
        classes: UnsafeMutablePointer<UInt8>, out: inout Int, inWord: inout UInt32
    ) -> Int {
        scalarStep(input, at: i, text: text, classes: classes, out: &out, inWord: &inWord)
    }

    /// The room the output of `count` input bytes may need: one and a half times the input,
    /// and `slack` past it. Lowercasing may lengthen a scalar (İ, Ⱥ and Ⱦ are 2 bytes of UTF-8,
    /// their lowercase 3: the only three letters or digits whose lowercase is longer, and none
    /// is longer than one and a half times its UTF-8, `ShinglerRoomTests`); an escape is longer
    /// than what it stands for; a separator gives at most one space for its two or more bytes.
    ///
    /// Reserved once a string: the scalar step tested the room for each scalar before, with a
    /// call to grow the text in the loop, 8 instructions for each of the 1.26M scalars of the
    /// 100 MB bench file (`--threads 1`, callgrind: the tokenizer's cost 156.7 -> 151.4).
    @inline(__always)
    static func room(_ count: Int) -> Int {
        count &+ count &>> 1 &+ slack
    }

    /// Room past the text that the output may need beyond its bound: the last space, and the
    /// whole 32-byte stores of a step (from the byte before `out`).
    private static let slack = 33
}
