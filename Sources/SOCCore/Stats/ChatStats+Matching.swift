/// How `ChatStats` compares senders with the persona ids and finds a chat's closing `<end/>`.
extension ChatStats {
    /// The raw text (`document.raw`) of the value at an index when it is a string without
    /// escapes, else nil.
    static func plainString(_ document: JSONDocument) -> (Int) -> UnsafeRawBufferPointer? {
        { index in document.kind(index) == .string && !document.hasEscapes(index) ? document.raw(index) : nil }
    }

    /// True when the string values at `a` and `b` are equal.
    static func same(_ document: JSONDocument, _ a: Int, _ b: Int) -> Bool {
        guard document.kind(a) == .string, document.kind(b) == .string else { return false }
        if !document.hasEscapes(a) && !document.hasEscapes(b) {
            // The common case (hex ids): compare the raw text in place.
            return sameBytes(document.raw(a), document.raw(b))
        }
        if !document.hasEscapes(b) { return document.stringEquals(a, document.stringContent(b)) }
        return document.withStringBytes(b) { document.stringEquals(a, $0) }
    }

    /// True when `a` and `b` hold the same bytes (`elementsEqualBytes`), compared in place:
    /// senders are compared two or three times per turn, and their 32-character hex ids are
    /// shorter than a memcmp call costs. Their first 8 bytes tell most unequal ones apart; the
    /// rest of one of 16 to 48 bytes is compared as two or three 16-byte vectors (the last
    /// overlapping), not 8 bytes a turn of a loop.
    @inline(__always)
    static func sameBytes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        let count = a.count
        guard count == b.count else { return false }
        guard count > 0, let x = a.baseAddress, let y = b.baseAddress else { return true }
        if count >= 16 && count <= 48 {
            guard x.loadUnaligned(as: UInt64.self) == y.loadUnaligned(as: UInt64.self) else { return false }
            func difference(_ offset: Int) -> SIMD2<UInt64> {
                x.loadUnaligned(fromByteOffset: offset, as: SIMD2<UInt64>.self)
                    ^ y.loadUnaligned(fromByteOffset: offset, as: SIMD2<UInt64>.self)
            }
            var differences = difference(0) | difference(count &- 16)
            if count > 32 { differences |= difference(16) }
            return differences[0] | differences[1] == 0
        }
        var i = 0
        while i + 8 <= count {
            if x.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                != y.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            {
                return false
            }
            i += 8
        }
        if i < count && count >= 8 {
            // The last 8 bytes (overlapping those compared) instead of the tail byte by byte.
            return x.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
                == y.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
        }
        while i < count {
            if x.load(fromByteOffset: i, as: UInt8.self) != y.load(fromByteOffset: i, as: UInt8.self) { return false }
            i += 1
        }
        return true
    }

    /// True when `text` ends with an `<end/>` tag (well-formed or not: `<end />`, `<END>`), blanks
    /// after it allowed.
    static func endsWithEndTag(_ text: UnsafeRawBufferPointer) -> Bool {
        var end = text.count
        while end > 0, TagScanner.isSpace(text[end - 1]) { end -= 1 }
        guard end > 0, text[end - 1] == 0x3E else { return false }
        var open = end - 1
        while open > 0, text[open] != 0x3C { open -= 1 }
        guard text[open] == 0x3C else { return false }
        var found = false
        TagScanner.scan(UnsafeRawBufferPointer(rebasing: text[open..<end])) { tag in
            found = found || (tag.name == .end && tag.role == .opening)
        }
        return found
    }
}
