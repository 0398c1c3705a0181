/// Writing new JSON text for the parts of a record scrub changes, in the record's own style.
enum JSONSplice {
    /// Appends `text` (UTF-8) as a JSON string literal. With `asciiOnly` (the record had no
    /// raw non-ASCII bytes, as `ensure_ascii` writers do) non-ASCII is written as `\uXXXX`.
    static func appendString(_ text: [UInt8], asciiOnly: Bool, to out: inout [UInt8]) {
        text.withUnsafeBytes { appendQuoted($0, asciiOnly: asciiOnly, to: &out) }
    }

    /// What `JSONString.appendQuoted(utf8:asciiOnly:to:)` writes, byte for byte, written
    /// straight into `out`'s free capacity (`Literal`).
    static func appendQuoted(_ text: UnsafeRawBufferPointer, asciiOnly: Bool, to out: inout [UInt8]) {
        append(Literal(text: text, mode: .escaped(asciiOnly: asciiOnly), quoted: true), to: &out)
    }

    /// What `appendQuoted` writes between the quotes.
    static func appendEscaped(_ text: UnsafeRawBufferPointer, asciiOnly: Bool, to out: inout [UInt8]) {
        guard !text.isEmpty else { return }
        append(Literal(text: text, mode: .escaped(asciiOnly: asciiOnly), quoted: false), to: &out)
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
                appendEscaped(UnsafeRawBufferPointer(rebasing: t[start..<end]), asciiOnly: asciiOnly, to: &out)
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
        // Eight bytes at a time: a record is a few kilobytes, scanned once per changed record.
        guard let base = line.baseAddress else { return true }
        let n = line.count
        var i = 0
        var any: UInt64 = 0
        // Sixty-four bytes per test: an escaped (`ensure_ascii`) record is read to its end.
        // (With `SIMD16<UInt8>` lanes instead of words this loop cost 2.6 times as much: the
        // generic vector code was not lowered to vector instructions; callgrind, --threads 1.)
        while i + 64 <= n {
            func word(_ k: Int) -> UInt64 { base.loadUnaligned(fromByteOffset: i + 8 * k, as: UInt64.self) }
            any |= (word(0) | word(1)) | (word(2) | word(3)) | (word(4) | word(5)) | (word(6) | word(7))
            if any & 0x8080_8080_8080_8080 != 0 { return false }
            i += 64
        }
        while i + 8 <= n {
            any |= base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < n {
            any |= UInt64(line[i])
            i += 1
        }
        return any & 0x8080_8080_8080_8080 == 0
    }

    /// The separator between the elements of the array at `array` (", " or ","), else between
    /// the root object's first members, else ", ": bytes of `document` (valid while it is), or
    /// of a static string.
    ///
    /// Borrowed, not an array: the `", "` array made once and handed out was one object that
    /// every worker thread retained and released several times per changed chat, so at
    /// `--threads 2` its reference count bounced between the cores (perf probes on
    /// swift_retain/release: ~2.5k thread switches on it per 20 MB of the realistic bench file).
    static func separator(in document: JSONDocument, array: Int) -> UnsafeRawBufferPointer {
        // The first two children found by walking, not by collecting them into arrays
        // (measured: 1.4k instructions per call that way, 14M on the realistic bench file).
        var elements = document.elements(array)
        if let first = elements.next(), let second = elements.next() {
            return UnsafeRawBufferPointer(
                rebasing: document.bytes[document.span(first).upperBound..<document.span(second).lowerBound])
        }
        var keys = document.memberKeys(document.root)
        if let first = keys.next(), let second = keys.next() {
            return UnsafeRawBufferPointer(
                rebasing: document.bytes[document.span(first + 1).upperBound..<document.span(second).lowerBound])
        }
        return UnsafeRawBufferPointer(start: commaSpace.utf8Start, count: commaSpace.utf8CodeUnitCount)
    }

    /// `, `, the separator nearly every record has (`json.dumps`'s).
    private static let commaSpace: StaticString = ", "

    /// The bytes of `range` of `line` with `edits` (ranges within `range`) applied.
    static func apply(_ edits: [JSONEdit], within range: Range<Int>, of line: UnsafeRawBufferPointer) -> [UInt8] {
        let slice = UnsafeRawBufferPointer(rebasing: line[range])
        let shifted = edits.map {
            JSONEdit(
                range: ($0.range.lowerBound - range.lowerBound)..<($0.range.upperBound - range.lowerBound),
                replacement: $0.replacement)
        }
        return JSONEdit.apply(shifted, to: slice)
    }
}
