import CSystem

#if canImport(Glibc)
    import Glibc
#endif

extension ChatChecks {
    /// True when `inspect` would find nothing in the unescaped text of `raw` (an escaped
    /// string's bytes) whatever the escapes stand for, so it need not be unescaped: the text
    /// starts with the same visible ASCII character (so it is neither empty nor blank) and has
    /// no `<`, neither written nor escaped (`\u003c`; any `\u003` is taken as one, even after an
    /// escaped backslash: a false answer only costs the unescaping).
    ///
    /// Hand-written hot path: sixteen start positions per step, `<` and `\u003` tested by
    /// vector compares with one `pmovmskb` (CSystem's shim), where a memchr per backslash cost
    /// ~225 instructions and seven mispredicted branches a message (soc-validate --threads 1
    /// --rejects /dev/null real20.jsonl, callgrind; see the commit).
    static func needsNoInspection(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard let base = raw.baseAddress, raw.count > 0 else { return false }
        let first = raw[0]
        guard first != UInt8(ascii: "\\"), first < 0x80, !isSpace(first) else { return false }
        let n = raw.count
        guard n >= 20 else { return !hasTagByte(raw) }
        var i = 0
        while i + 20 <= n {
            if tagBytes(base + i) != 0 { return false }
            i += 16
        }
        // The last start positions (the block overlaps the one before), and a `<` in the last
        // four bytes, which no block's first lane reaches.
        if tagBytes(base + n - 20) != 0 { return false }
        let last = (base + n - 4).loadUnaligned(as: UInt32.self) ^ 0x3C3C_3C3C
        return (last &- 0x0101_0101) & ~last & 0x8080_8080 == 0
    }

    /// Bit k: byte k at `p` is `<` or starts `\u003` (reads 20 bytes).
    @inline(__always)
    private static func tagBytes(_ p: UnsafeRawPointer) -> UInt32 {
        typealias V = SIMD16<UInt8>
        let v0 = p.loadUnaligned(as: V.self)
        let escape =
            (v0 .== V(repeating: 0x5C)) .& ((p + 1).loadUnaligned(as: V.self) .== V(repeating: 0x75))
            .& ((p + 2).loadUnaligned(as: V.self) .== V(repeating: 0x30))
            .& ((p + 3).loadUnaligned(as: V.self) .== V(repeating: 0x30))
            .& ((p + 4).loadUnaligned(as: V.self) .== V(repeating: 0x33))
        return soc_high_bits16(unsafeBitCast((v0 .== V(repeating: 0x3C)) .| escape, to: V.self))
    }

    /// True when `inspect` would find nothing in the unescaped string `message`: its first byte
    /// is visible ASCII (so it is neither empty nor blank) and it holds no `<`. `nextTag` is
    /// the offset in the line of the first `<` at or after where it was last searched from
    /// (-1 before the first search, the line's length when there is none); messages are
    /// asked in line order, so it is searched again only past a message it fell in.
    @inline(__always)
    static func holdsNoTag(_ document: JSONDocument, _ message: Int, before nextTag: inout Int) -> Bool {
        let node = document.nodes[message]
        let start = Int(node.start) + 1
        let end = Int(node.end) - 1
        guard start < end, let base = document.bytes.baseAddress else { return false }
        let first = base.load(fromByteOffset: start, as: UInt8.self)
        guard first < 0x80, !isSpace(first) else { return false }
        if nextTag < start {
            let count = document.bytes.count
            nextTag =
                memchr(base + start, Int32(UInt8(ascii: "<")), count - start).map {
                    base.distance(to: UnsafeRawPointer($0))
                } ?? count
        }
        return nextTag >= end
    }

    /// `tagBytes` over a short text, byte by byte.
    private static func hasTagByte(_ raw: UnsafeRawBufferPointer) -> Bool {
        let n = raw.count
        for k in 0..<n {
            if raw[k] == UInt8(ascii: "<") { return true }
            if raw[k] == UInt8(ascii: "\\"), k + 4 < n, raw[k + 1] == UInt8(ascii: "u"), raw[k + 2] == 0x30,
                raw[k + 3] == 0x30, raw[k + 4] == 0x33
            {
                return true
            }
        }
        return false
    }
}
