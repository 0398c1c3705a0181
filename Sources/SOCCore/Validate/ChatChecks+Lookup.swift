import CSystem

/// The sender comparisons the chat checks make on every part, by hand: measured (soc-validate
/// --threads 1 --rejects /dev/null real20.jsonl, callgrind), `stringsEqual` took ~70
/// instructions and 1.4 mispredicted branches a sender (a memcmp call for 32 bytes); see the
/// commit for the saving.
extension ChatChecks {
    /// `SchemaEquality.stringsEqual` of two string values: written without escapes, texts of
    /// 16 to 32 bytes (ids, senders) are compared as two 16-byte vectors each, the second
    /// overlapping the first.
    @inline(__always)
    static func sameString(_ document: JSONDocument, _ a: Int, _ b: Int) -> Bool {
        let x = document.nodes[a]
        let y = document.nodes[b]
        let n = Int(x.end) - Int(x.start) - 2
        if (x.flags | y.flags) & JSONNode.hasEscapes == 0, n >= 16, n <= 32, let base = document.bytes.baseAddress {
            guard n == Int(y.end) - Int(y.start) - 2 else { return false }
            let p = base + Int(x.start) + 1
            let q = base + Int(y.start) + 1
            typealias V = SIMD16<UInt8>
            let head = p.loadUnaligned(as: V.self) .== q.loadUnaligned(as: V.self)
            let tail = (p + n - 16).loadUnaligned(as: V.self) .== (q + n - 16).loadUnaligned(as: V.self)
            // One `pmovmskb` (CSystem's shim): Swift's `all` over the lanes took ~40 instructions.
            return soc_high_bits16(unsafeBitCast(head .& tail, to: V.self)) == 0xFFFF
        }
        return SchemaEquality.stringsEqual(document, a, b)
    }
}
