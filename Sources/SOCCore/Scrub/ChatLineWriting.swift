/// Bytes written at a pointer, into room reserved beforehand (`SplicedChatLine`,
/// `RebuiltChatLine`): no capacity or uniqueness check per write.
struct RawByteWriter {
    let start: UnsafeMutableRawPointer
    /// How many bytes are written so far.
    private(set) var count = 0

    init(_ start: UnsafeMutableRawPointer) { self.start = start }

    @inline(__always)
    mutating func byte(_ byte: UInt8) {
        start.storeBytes(of: byte, toByteOffset: count, as: UInt8.self)
        count += 1
    }

    @inline(__always)
    mutating func copy(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress else { return }
        (start + count).copyMemory(from: base, byteCount: bytes.count)
        count += bytes.count
    }

    /// `text` escaped as `JSONSplice.writeEscaped` writes it (room for `6 * text.count + 12`).
    mutating func escaped(_ text: UnsafeRawBufferPointer, asciiOnly: Bool) {
        count += JSONSplice.writeEscaped(text, asciiOnly: asciiOnly, to: start + count)
    }

    /// `text` as the JSON string literal `JSONSplice.appendString(_:asciiOnly:escapes:to:)`
    /// writes: each lone-surrogate stand-in as the escape it was read from (room for
    /// `6 * text.count + 14`: a stand-in's four bytes have room for 24, its escape takes 6).
    mutating func string(_ text: UnsafeRawBufferPointer, asciiOnly: Bool, escapes: [[UInt8]]) {
        byte(UInt8(ascii: "\""))
        if escapes.isEmpty {
            escaped(text, asciiOnly: asciiOnly)
        } else {
            var from = 0
            var i = 0
            while i < text.count {
                if let k = EscapedText.standIn(text, at: i, count: escapes.count) {
                    if i > from { escaped(UnsafeRawBufferPointer(rebasing: text[from..<i]), asciiOnly: asciiOnly) }
                    escapes[k].withUnsafeBytes { copy($0) }
                    i += 4
                    from = i
                } else {
                    i += 1
                }
            }
            if text.count > from {
                escaped(UnsafeRawBufferPointer(rebasing: text[from..<text.count]), asciiOnly: asciiOnly)
            }
        }
        byte(UInt8(ascii: "\""))
    }
}

/// Writes what a chat's changed messages became (`RawByteWriter`), for the line types of
/// `ChatRebuild`: the changes are read in place, by index (a copy of a change retained and
/// released its arrays: about 150 instructions per changed message).
struct ChangeWriter {
    let document: JSONDocument
    /// The chat's changed messages, in document order (at most one a message). Borrowed from
    /// the array the line is built for, which outlives the writer (`ChatRebuild`): holding the
    /// array retained it, and the line's end released it (with `SplicedChatLine.parts`, ~0.5%
    /// of soc-scrub's time on bench/data/soc_realistic.jsonl, perf).
    let changes: UnsafeBufferPointer<MessageChange>
    /// Write non-ASCII as `\u` escapes (the record was written that way).
    let asciiOnly: Bool

    /// String `k` of what change `c` made of its message, as a JSON string literal.
    func piece(_ c: Int, _ k: Int, to out: inout RawByteWriter) {
        guard let kept = changes[c].kept else {
            let plain = changes[c].plain
            return changes[c].outcome.pieces.withPiece(k) {
                if plain {
                    out.byte(UInt8(ascii: "\""))
                    out.copy($0)
                    out.byte(UInt8(ascii: "\""))
                } else {
                    out.string($0, asciiOnly: asciiOnly, escapes: changes[c].escapes)
                }
            }
        }
        // As `JSONSplice.appendString` writes it: bytes of a string without escapes hold no
        // quote, backslash or control byte, and non-ASCII only in a record that writes it raw;
        // an escaped part is kept only when each escape is written so (`EscapedText.Style`).
        out.byte(UInt8(ascii: "\""))
        out.copy(UnsafeRawBufferPointer(rebasing: document.bytes[kept]))
        out.byte(UInt8(ascii: "\""))
    }

    /// The elements of the `messages` array at tape index `messages`, each after `separator`
    /// but the first one written (`written` counts them): a message changed by one of
    /// `changes[range]` (in document order) as the strings it became, any other as written.
    func elements(
        of messages: Int, _ range: Range<Int>, separator: UnsafeRawBufferPointer, written: inout Int,
        to out: inout RawByteWriter
    ) {
        var c = range.lowerBound
        for (m, element) in document.elements(messages).enumerated() {
            if c < range.upperBound && changes[c].message == m {
                for k in 0..<changes[c].pieceCount {
                    if written > 0 { out.copy(separator) }
                    piece(c, k, to: &out)
                    written += 1
                }
                c += 1
            } else {
                if written > 0 { out.copy(separator) }
                out.copy(document.raw(element))
                written += 1
            }
        }
    }
}
