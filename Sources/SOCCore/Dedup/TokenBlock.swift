import CSystem

/// Sixteen bytes of a string as the shingler's block step sees them: which are ASCII letters or
/// digits, which need the per-scalar step (non-ASCII bytes, and backslashes when escapes are
/// decoded), and what each byte becomes (letters and digits lowercased, anything else a space).
///
/// One SSE2 register's worth (Swift SIMD, which the package's baseline x86-64 lowers to SSE2),
/// because the tokenizer touches every byte of every message and is the largest cost of
/// soc-dedup. Swift's SIMD types have no `pmovmskb`, so the two lane masks come out as bits
/// through `soc_high_bits16` (CSystem's shim): a multiply per eight lanes, as before, cost 22M
/// more instructions on real20.jsonl (475.7M to 452.5M in all).
struct TokenBlock {
    /// Bit k: byte k is an ASCII letter or digit.
    let words: UInt32
    /// Bit k: byte k is not ASCII, or is a backslash of an escaped string (or a quote, `quoted`).
    let stops: UInt32
    /// Each byte's output: its lowercase for letters and digits, a space for anything else
    /// (meaningful only in the lanes before the first stop).
    let mapped: SIMD16<UInt8>

    @inline(__always)
    private init(words: UInt32, stops: UInt32, mapped: SIMD16<UInt8>) {
        self.words = words
        self.stops = stops
        self.mapped = mapped
    }

    /// `quoted`: a quote (`"`) is a stop too. A JSON string's content holds no quote but after a
    /// backslash (a stop itself, whose escape the scalar step takes whole), so in a block loaded
    /// past the content's end the first quote is the closing one: the string's end is then a
    /// stop like the others, with no arithmetic of its own.
    @inline(__always)
    init(_ x: SIMD16<UInt8>, escaped: Bool, quoted: Bool = false) {
        typealias V = SIMD16<UInt8>
        typealias S = SIMD16<Int8>
        // Vector operands throughout: the mixed vector-scalar comparisons compile lane by lane.
        let space = V(repeating: 0x20)
        let folded = x | space
        // Range checks as one signed compare each: an add moves the range to the top of the
        // signed bytes (letters, `folded` 0x61...0x7A, to 0x66...0x7F; digits 0x30...0x39 to
        // 0x76...0x7F), where it is what is greater than its bound. No other byte lands there
        // (`TokenBlockTests`: the non-ASCII bytes wrap below it). Unsigned, `c - low < span` took
        // a `pminub` and a `pcmpeqb` and two more copies (SSE2 overwrites an operand): 3 of the
        // ~67 instructions of a block, 3.8M blocks on the 100 MB bench file (the tokenizer's
        // cost 151.4 -> 146.8 with `appendTokens`' one compare a block, `--threads 1`, callgrind).
        let letter = unsafeBitCast(folded &+ V(repeating: 5), to: S.self) .> S(repeating: 101)
        let digit = unsafeBitCast(x &+ V(repeating: 0x46), to: S.self) .> S(repeating: 117)
        let word = letter .| digit
        // `folded` where `word`, else a space: `folded` has the space's bit, so masking it by
        // the lane mask with that bit set leaves it or the space alone (one `pand` and one
        // `por` where the select took three operations).
        mapped = folded & (unsafeBitCast(word, to: V.self) | space)
        words = soc_high_bits16(unsafeBitCast(word, to: V.self))
        // A non-ASCII byte has its high bit set already; a backslash's lane is made all ones.
        var stopLanes = x
        if escaped { stopLanes |= unsafeBitCast(x .== V(repeating: 0x5C), to: V.self) }
        if quoted { stopLanes |= unsafeBitCast(x .== V(repeating: 0x22), to: V.self) }
        stops = soc_high_bits16(stopLanes)
    }

    /// The bytes of `mapped` from lane `k` (0...16) on, as two little-endian words (what
    /// follows lane 15 is unspecified, and so is everything when `k` is 16).
    ///
    /// One 128-bit shift (`shrd`, `shr` and two `cmov`s): the branches on `k` it replaces were
    /// mispredicted 85K times on real20.jsonl, at a string's last block.
    @inline(__always)
    func mapped(from k: Int) -> (UInt64, UInt64) {
        let halves = unsafeBitCast(mapped, to: SIMD2<UInt64>.self)
        let whole = UInt128(halves[1]) &<< 64 | UInt128(halves[0])
        let shifted = whole &>> UInt128(truncatingIfNeeded: k &* 8)
        return (UInt64(truncatingIfNeeded: shifted), UInt64(truncatingIfNeeded: shifted &>> 64))
    }

    /// The block of lanes `k...15` of this one, as lanes `0...15 - k` (the lanes past them
    /// are separators, `mapped` there unspecified).
    @inline(__always)
    func droppingFirst(_ k: Int) -> TokenBlock {
        let (low, high) = mapped(from: k)
        return TokenBlock(
            words: words &>> UInt32(truncatingIfNeeded: k), stops: stops &>> UInt32(truncatingIfNeeded: k),
            mapped: unsafeBitCast(SIMD2<UInt64>(low, high), to: SIMD16<UInt8>.self))
    }
}
