/// Writing new JSON text for the parts of a record scrub changes, in the record's own style.
enum JSONSplice {
    /// Appends `text` (UTF-8) as a JSON string literal. With `asciiOnly` (the record had no
    /// raw non-ASCII bytes, as `ensure_ascii` writers do) non-ASCII is written as `\uXXXX`.
    static func appendString(_ text: [UInt8], asciiOnly: Bool, to out: inout [UInt8]) {
        text.withUnsafeBytes { JSONString.appendQuoted(utf8: $0, asciiOnly: asciiOnly, to: &out) }
    }

    /// `appendString`, writing each lone-surrogate stand-in of `text` (see `EscapedText`) as
    /// the escape it was read from.
    static func appendString(_ text: [UInt8], asciiOnly: Bool, escapes: [[UInt8]], to out: inout [UInt8]) {
        guard !escapes.isEmpty else { return appendString(text, asciiOnly: asciiOnly, to: &out) }
        text.withUnsafeBytes { t in
            out.append(UInt8(ascii: "\""))
            var start = 0
            var i = 0
            func flush(_ end: Int) {
                guard end > start else { return }
                var quoted: [UInt8] = []
                JSONString.appendQuoted(utf8: UnsafeRawBufferPointer(rebasing: t[start..<end]), asciiOnly: asciiOnly, to: &quoted)
                out.append(contentsOf: quoted[1..<(quoted.count - 1)])
            }
            while i < t.count {
                if let k = EscapedText.standIn(t, at: i, count: escapes.count) {
                    flush(i)
                    out.append(contentsOf: escapes[k])
                    i += 4
                    start = i
                } else {
                    i += 1
                }
            }
            flush(t.count)
            out.append(UInt8(ascii: "\""))
        }
    }

    /// True when `line` has no byte above 0x7F (non-ASCII must then be escaped to match it).
    static func isASCII(_ line: UnsafeRawBufferPointer) -> Bool {
        for byte in line where byte >= 0x80 { return false }
        return true
    }

    /// The separator between the elements of the array at `array` (", " or ","), else between
    /// the root object's first members, else ", ".
    static func separator(in document: JSONDocument, array: Int) -> [UInt8] {
        let elements = Array(document.elements(array).prefix(2))
        if elements.count == 2 {
            return Array(document.bytes[document.span(elements[0]).upperBound..<document.span(elements[1]).lowerBound])
        }
        let keys = Array(document.memberKeys(document.root).prefix(2))
        if keys.count == 2 {
            return Array(document.bytes[document.span(keys[0] + 1).upperBound..<document.span(keys[1]).lowerBound])
        }
        return Array(", ".utf8)
    }

    /// The bytes of `range` of `line` with `edits` (ranges within `range`) applied.
    static func apply(_ edits: [JSONEdit], within range: Range<Int>, of line: UnsafeRawBufferPointer) -> [UInt8] {
        let slice = UnsafeRawBufferPointer(rebasing: line[range])
        let shifted = edits.map { JSONEdit(range: ($0.range.lowerBound - range.lowerBound)..<($0.range.upperBound - range.lowerBound), replacement: $0.replacement) }
        return JSONEdit.apply(shifted, to: slice)
    }
}
