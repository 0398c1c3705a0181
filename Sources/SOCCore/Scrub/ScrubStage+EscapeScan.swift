import CSystem

/// Finding the `\u00XX` escapes of a message that decode to a gate byte, sixteen start
/// positions at a time.
extension ScrubStage {
    /// A set of ASCII bytes as two words (bit k of `low`: byte k; of `high`: byte 64 + k).
    struct ASCIISet {
        var low: UInt64 = 0
        var high: UInt64 = 0

        /// The ASCII bytes of `bytes`.
        init(_ bytes: [UInt8]) {
            for byte in bytes where byte < 64 { low |= 1 << UInt64(byte) }
            for byte in bytes where byte >= 64 && byte < 128 { high |= 1 << UInt64(byte - 64) }
        }

        @inline(__always)
        func contains(_ value: UInt32) -> Bool {
            value < 64 ? low >> UInt64(value) & 1 != 0 : value < 128 && high >> UInt64(value - 64) & 1 != 0
        }
    }

    /// Whether `content` (the raw bytes of a string the parser accepted, at least 20 bytes) holds
    /// an escape `\u00XX` (one that starts an escape, not the text after an escaped backslash)
    /// whose value is a byte of `gates`: the answer of the escape-by-escape walk
    /// (`gateEscapeByWalk`), which `EscapeScanTests` compares it with.
    ///
    /// Hand-written hot path: `\u00` followed by `0`–`7` (an ASCII value) is looked for at
    /// sixteen start positions per step by vector compares and one `pmovmskb` (CSystem's shim),
    /// and only its rare hits are decoded. The walk stopped at every backslash, and `json.dumps`
    /// text writes each non-ASCII character as a `\u` escape: one `memchr` per run of escapes,
    /// ~300 instructions and 10 mispredicted branches per escaped message (callgrind
    /// --branch-sim, real20.jsonl, --threads 1: 31k messages). (The 16-byte backslash walk
    /// dropped in the sixth round still stopped at each backslash.)
    static func hasGateEscape(_ content: UnsafeRawBufferPointer, _ gates: ASCIISet) -> Bool {
        guard let base = content.baseAddress, content.count >= 20 else { return false }
        let n = content.count
        var i = 0
        while i + 20 <= n {
            let bits = escapeStarts(base + i)
            if bits != 0 && gateEscape(in: bits, at: i, content, gates) { return true }
            i += 16
        }
        // The last start positions, in a block that overlaps the one before (its lanes that
        // block saw are masked off); an escape needs 6 bytes, so the block's last lanes are text.
        let last = n - 20
        let seen = i - last
        if seen >= 16 { return false }
        let bits = escapeStarts(base + last) & (~0 << UInt32(seen))
        return bits != 0 && gateEscape(in: bits, at: last, content, gates)
    }

    /// What `escapeDoubts` could not clear (bits of its answer).
    enum EscapeDoubt {
        /// The first byte is a backslash or not ASCII.
        static let start: UInt32 = 1
        /// The last 6 bytes hold a backslash, and are not a `\uXXXX` that cannot be White_Space.
        static let end: UInt32 = 2
        /// Some `\u00XX` may have an ASCII value.
        static let gate: UInt32 = 4
    }

    /// Zero when the escapes of the `n` bytes at `base` (a string's raw bytes, at least 20 of
    /// them, whose raw ends `BlankText.needsTrim` cleared) can neither start or end the decoded
    /// text with White_Space (or make it blank) nor give it an ASCII byte: `escapesMatter`'s
    /// answer for every gate set, in one pass. Else the `EscapeDoubt`s left for the detailed
    /// checks (`edgeMatters`, `hasGateEscape`), each clear where its bit is not set:
    ///
    /// - The first byte is ASCII and no backslash: no escape or raw character starts the text.
    /// - The last 6 bytes hold no backslash, or one `\uXXXX` whose value's high byte is none of
    ///   `00`, `16`, `20`, `30` (those of every White_Space above U+00FF, and of ASCII): when it is
    ///   text after an escaped backslash instead, the text ends with its raw bytes.
    /// - No backslash is followed by a byte, `00` and a digit `0`–`7` (as `\u00XX` with an
    ///   ASCII value is) at any start position: eight 16-byte blocks spread evenly from offset 0
    ///   to `n - 20` (16 apart at most, so they cover texts up to 132 bytes; longer ones also
    ///   take the blocks between), so no branch depends on the text's length.
    ///
    /// Every condition is worked out without a branch.
    @inline(__always)
    static func escapeDoubts(_ base: UnsafeRawPointer, _ n: Int) -> UInt32 {
        typealias V = SIMD16<UInt8>
        let first = base.load(as: UInt8.self)
        // `x == c` as a bit, for values below 2^63, computed rather than compared (compares
        // joined with `&` were compiled to a chain of branches).
        @inline(__always) func equal(_ x: UInt64, _ c: UInt64) -> UInt32 {
            UInt32(truncatingIfNeeded: ((x ^ c) &- 1) >> 63)
        }
        let start = UInt32(first >> 7) | equal(UInt64(first), UInt64(UInt8(ascii: "\\")))
        // The last 6 bytes in lanes 0-5 (lanes 6 and 7 zero); a lane of `plain` has its high bit
        // set when its byte is no backslash (exact per lane: no carry leaves a lane).
        let last = UInt64(littleEndian: (base + n - 8).loadUnaligned(as: UInt64.self)) >> 16
        let x = last ^ 0x5C5C_5C5C_5C5C_5C5C
        let plain = ((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x
        let backslashes = ~plain & 0x8080_8080_8080
        // The first two bytes (a backslash alone in lane 0, then `u`), then the escape's first
        // two digits, letters lowered ("20" and "30" differ in one bit).
        let head = last & 0xFFFF
        let high = last >> 16 & 0xFFFF | 0x2020
        let whiteHigh = equal(high | 1, 0x3033) | equal(high, 0x3030) | equal(high, 0x3631)
        let escapeEnds = equal(backslashes, 0x80) & equal(head, 0x755C) & (whiteHigh ^ 1)
        let end = (equal(backslashes, 0) ^ 1) & (escapeEnds ^ 1)
        var hits = SIMDMask<SIMD16<Int8>>(repeating: false)
        let step = min(16, (n - 20) / 6)
        var p = base
        for _ in 0..<7 {
            hits .|= asciiEscapeStarts(p)
            p += step
        }
        hits .|= asciiEscapeStarts(base + n - 20)
        // Texts over 132 bytes: the blocks between the seventh and the last.
        var o = 7 * 16
        while o < n - 20 {
            hits .|= asciiEscapeStarts(base + o)
            o += 16
        }
        let gate = soc_high_bits16(unsafeBitCast(hits, to: V.self)) == 0 ? 0 : EscapeDoubt.gate
        return start * EscapeDoubt.start | end * EscapeDoubt.end | gate
    }

    /// Lane k: the 5 bytes at `p + k` are a backslash, two `0`s after a byte, and a digit
    /// `0`–`7` (reads 20 bytes).
    @inline(__always)
    private static func asciiEscapeStarts(_ p: UnsafeRawPointer) -> SIMDMask<SIMD16<Int8>> {
        typealias V = SIMD16<UInt8>
        let zero = V(repeating: UInt8(ascii: "0"))
        let starts =
            (p.loadUnaligned(as: V.self) .== V(repeating: UInt8(ascii: "\\")))
            .& ((p + 2).loadUnaligned(as: V.self) .== zero) .& ((p + 3).loadUnaligned(as: V.self) .== zero)
            .& (((p + 4).loadUnaligned(as: V.self) & V(repeating: 0xF8)) .== zero)
        return starts
    }

    /// Bit k: the 5 bytes at `p + k` may be `\u00` and a digit `0`–`7` (reads 20 bytes): a
    /// backslash, `0` three bytes on and a digit `0`–`7` four bytes on. The `u` and first `0`
    /// are not compared (`gateEscape` checks them at each rare hit): three loads and compares
    /// a block instead of five, the scan's cost over every escaped message's bytes.
    @inline(__always)
    private static func escapeStarts(_ p: UnsafeRawPointer) -> UInt32 {
        typealias V = SIMD16<UInt8>
        let starts =
            (p.loadUnaligned(as: V.self) .== V(repeating: UInt8(ascii: "\\")))
            .& ((p + 3).loadUnaligned(as: V.self) .== V(repeating: UInt8(ascii: "0")))
            .& (((p + 4).loadUnaligned(as: V.self) & V(repeating: 0xF8)) .== V(repeating: UInt8(ascii: "0")))
        return soc_high_bits16(unsafeBitCast(starts, to: V.self))
    }

    /// Whether one of the `\u00` of `bits` (lane k: offset `at + k` of `content`) starts an
    /// escape whose value is in `gates`.
    private static func gateEscape(in bits: UInt32, at: Int, _ content: UnsafeRawBufferPointer, _ gates: ASCIISet)
        -> Bool
    {
        var bits = bits
        while bits != 0 {
            let k = at + bits.trailingZeroBitCount
            bits &= bits - 1
            // An escape starts here unless an odd run of backslashes ends before it (then this
            // backslash is the second of an escaped one, and `u00…` is text).
            var run = k
            while run > 0 && content[run - 1] == UInt8(ascii: "\\") { run -= 1 }
            guard (k - run) & 1 == 0, k + 6 <= content.count, content[k + 1] == UInt8(ascii: "u"),
                content[k + 2] == UInt8(ascii: "0")
            else { continue }
            let high = JSONParser.hexValue(content[k + 4]) ?? 0xF
            if gates.contains(high << 4 | (JSONParser.hexValue(content[k + 5]) ?? 0xF)) { return true }
        }
        return false
    }

    /// Whether one of the last 6 bytes of `content` is a backslash (an escape there may end the
    /// text): one word compare where `content` has 8 bytes.
    @inline(__always)
    static func backslashInLastSix(_ content: UnsafeRawBufferPointer) -> Bool {
        let n = content.count
        guard n >= 8, let base = content.baseAddress else {
            for k in max(0, n - 6)..<n where content[k] == UInt8(ascii: "\\") { return true }
            return false
        }
        // The last 6 bytes in the low lanes; the two lanes shifted in as zeros are 0x5C after
        // the xor, so a zero byte of `x` is one of the six being a backslash (the test is exact
        // for "any zero byte").
        let word = UInt64(littleEndian: (base + n - 8).loadUnaligned(as: UInt64.self)) >> 16
        let x = word ^ 0x5C5C_5C5C_5C5C_5C5C
        return (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080 != 0
    }
}
