/// String scanning for `JSONParser`: the hand-written hot path that no library serves (every
/// tool validates every string of every line here; on the chat bench file string bodies are most
/// of the bytes), so it is written for instruction count.
///
/// The body of a string is skipped sixteen bytes at a time with word (SWAR) arithmetic until the
/// first byte that needs a decision: a quote, a backslash, a control byte (< 0x20) or a non-ASCII
/// byte (≥ 0x80). The word arithmetic finds that byte's exact position, so the careful per-byte
/// code runs only at those bytes; runs of multi-byte UTF-8 are validated sequence after sequence
/// without going back to the word loop, and runs of escapes escape after escape.
///
/// Every check and every error (kind, offset, message) is the one the former byte-at-a-time loop
/// made: the decisions are taken at the same first byte in the same order. The tests keep that
/// loop as a reference and compare both on generated inputs (`JSONParserDifferentialTests`).
///
/// Memory safety by construction: every read is at an offset `k` with `k < n`, and every word read
/// at `j` is guarded by `j + 8 <= n` (sixteen: `j + 16 <= n`), where `n` is the length of the
/// buffer `p` points to.
extension JSONParser {
    /// Scans the string whose opening quote is at `start` and returns the offset just past its
    /// closing quote, or -1 when the string is not valid (then `stringError` says why). Sets
    /// `escaped` when the string has a backslash. Never throws, so that inlined into the state
    /// machine it keeps every offset in a register.
    // `@inline(always)` (Swift 6.3) makes these calls inline; an older Swift 6 (the README promises
    // 6.0 or later) gets the `@inline(__always)` hint instead, slower but the same behaviour.
    #if compiler(>=6.3)
        @inline(always)
    #else
        @inline(__always)
    #endif
    static func scanString(_ p: UnsafePointer<UInt8>, _ n: Int, _ start: Int, _ escaped: inout Bool) -> Int {
        var j = start + 1
        while true {
            j = nextSpecial(p, n, j)
            guard j < n else { return -1 }
            let c = p[j]
            if c == UInt8(ascii: "\"") { return j + 1 }
            if c == UInt8(ascii: "\\") {
                escaped = true
                j = skipEscapes(p, n, j)
            } else if c >= 0x80 {
                j = skipUTF8(p, n, j)
            } else {
                return -1  // a control byte
            }
            if j < 0 { return -1 }
        }
    }

    /// Why the string at `start` is not valid (`scanString` returned -1): the careful path, one
    /// byte at a time, taking the decisions in the order the fast path does, so the error (kind,
    /// offset, message) is the first problem of the string.
    static func stringError(_ p: UnsafePointer<UInt8>, _ n: Int, _ start: Int) -> JSONParseError {
        var j = start + 1
        while j < n {
            let c = p[j]
            if c == UInt8(ascii: "\"") {
                // Only if the two paths disagreed, which the differential tests rule out.
                assertionFailure("scanString rejected a string the careful path accepts")
                break
            }
            if c == UInt8(ascii: "\\") {
                guard j + 1 < n else { break }  // a backslash ending the line
                switch p[j + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    j += 2
                case UInt8(ascii: "u"):
                    guard j + 6 <= n else { return error(p, n, j, "incomplete \\u escape") }
                    for k in 2..<6 where hexValue(p[j + k]) == nil { return error(p, n, j, "invalid \\u escape") }
                    j += 6
                default:
                    return error(p, n, j, "invalid escape")
                }
            } else if c < 0x20 {
                return error(p, n, j, "control character in a string (must be escaped)")
            } else if c < 0x80 {
                j += 1
            } else {
                let length = utf8SequenceLength(p, n, j)
                guard length > 0 else {
                    return JSONParseError(.invalidUTF8, offset: j, message: "invalid UTF-8 byte sequence at byte \(j)")
                }
                j += length
            }
        }
        // The end of the line before the closing quote.
        return error(p, n, start, "unterminated string")
    }

    /// The first offset at or after `j` holding a quote, a backslash, a byte < 0x20 or a byte
    /// ≥ 0x80; `n` when there is none.
    #if compiler(>=6.3)
        @inline(always)
    #else
        @inline(__always)
    #endif
    static func nextSpecial(_ p: UnsafePointer<UInt8>, _ n: Int, _ from: Int) -> Int {
        var j = from
        let raw = UnsafeRawPointer(p)
        // Invariant: j + 16 <= n, so both eight-byte loads lie inside the buffer.
        while j &+ 16 <= n {
            let low = specialBits(raw.loadUnaligned(fromByteOffset: j, as: UInt64.self))
            let high = specialBits(raw.loadUnaligned(fromByteOffset: j &+ 8, as: UInt64.self))
            if low | high != 0 {
                return j &+ (low != 0 ? low.trailingZeroBitCount : 64 &+ high.trailingZeroBitCount) &>> 3
            }
            j &+= 16
        }
        if j &+ 8 <= n {
            let bits = specialBits(raw.loadUnaligned(fromByteOffset: j, as: UInt64.self))
            if bits != 0 { return j &+ bits.trailingZeroBitCount &>> 3 }
            j &+= 8
        }
        while j < n {
            // c - 0x20 wraps for control bytes, so one compare covers < 0x20 and ≥ 0x80.
            let c = p[j]
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c &- 0x20 >= 0x60 { return j }
            j &+= 1
        }
        return n
    }

    /// The high bit of each byte of `word` (eight string bytes, the first at the lowest address)
    /// that is a quote, a backslash, < 0x20 or ≥ 0x80. Exact for the lowest such byte, which is
    /// all the caller reads: a subtraction borrows out of a byte only when that byte is itself
    /// one of these (a quote or backslash after the XOR is 0x00, a control byte is < 0x20), so no
    /// borrow reaches a byte below the first flagged one. A byte whose XOR or subtraction sets its
    /// high bit without being a quote, backslash or control byte is ≥ 0x80, flagged anyway.
    #if compiler(>=6.3)
        @inline(always)
    #else
        @inline(__always)
    #endif
    static func specialBits(_ loaded: UInt64) -> UInt64 {
        let w = UInt64(littleEndian: loaded)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = (w ^ 0x2222_2222_2222_2222) &- ones
        let backslash = (w ^ 0x5C5C_5C5C_5C5C_5C5C) &- ones
        let control = w &- 0x2020_2020_2020_2020
        return (quote | backslash | control | w) & 0x8080_8080_8080_8080
    }

    /// Validates the escape at `j` (a backslash) and any escapes directly after it; returns the
    /// offset after the last one, or -1 when one is not valid.
    #if compiler(>=6.3)
        @inline(always)
    #else
        @inline(__always)
    #endif
    static func skipEscapes(_ p: UnsafePointer<UInt8>, _ n: Int, _ from: Int) -> Int {
        var j = from
        repeat {
            guard j + 1 < n else { return -1 }
            switch p[j + 1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                j += 2
            case UInt8(ascii: "u"):
                // j + 6 <= n: the four bytes at j + 2 lie inside the buffer.
                guard j + 6 <= n else { return -1 }
                let digits = UnsafeRawPointer(p).loadUnaligned(fromByteOffset: j + 2, as: UInt32.self)
                guard areHexDigits(UInt32(littleEndian: digits)) else { return -1 }
                j += 6
            default:
                return -1
            }
        } while j < n && p[j] == UInt8(ascii: "\\")
        return j
    }

    /// True when each of the four bytes of `word` is an ASCII hex digit (`hexValue` is not nil).
    /// For bytes < 0x80, adding 0x80 - k sets a byte's high bit exactly when the byte is ≥ k and
    /// carries nothing into the next byte.
    #if compiler(>=6.3)
        @inline(always)
    #else
        @inline(__always)
    #endif
    static func areHexDigits(_ word: UInt32) -> Bool {
        let high: UInt32 = 0x8080_8080
        guard word & high == 0 else { return false }
        let digit = (word &+ 0x5050_5050) & ~(word &+ 0x4646_4646)  // 0x30...0x39
        let lower = word | 0x2020_2020  // folds A-F onto a-f; no other byte lands in a-f
        let letter = (lower &+ 0x1F1F_1F1F) & ~(lower &+ 0x1919_1919)  // 0x61...0x66
        return (digit | letter) & high == high
    }

    /// Validates the multi-byte UTF-8 sequence at `j` and any that follow it directly; returns
    /// the offset after the last one, or -1 when one is not well-formed.
    @inline(__always)
    static func skipUTF8(_ p: UnsafePointer<UInt8>, _ n: Int, _ from: Int) -> Int {
        var j = from
        repeat {
            let length = utf8SequenceLength(p, n, j)
            guard length > 0 else { return -1 }
            j += length
        } while j < n && p[j] >= 0x80
        return j
    }

    /// The value of an ASCII hex digit, or nil.
    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// The length of the well-formed UTF-8 sequence at `j` (RFC 3629), or 0 when it is not one:
    /// overlong forms, surrogates encoded in UTF-8, code points above U+10FFFF and sequences cut
    /// short by the end of the buffer are all 0.
    @inline(__always)
    static func utf8SequenceLength(_ p: UnsafePointer<UInt8>, _ n: Int, _ j: Int) -> Int {
        let c = p[j]
        func cont(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            j + k < n && p[j + k] >= low && p[j + k] <= high
        }
        switch c {
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1, 0xA0) && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xED: return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0
        case 0xF0: return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }
}
