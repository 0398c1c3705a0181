import CSystem

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
        // A record is a few kilobytes, scanned once per changed record.
        guard let base = line.baseAddress else { return true }
        let n = line.count
        var i = 0
        // 128 bytes per test, ORed as 16-byte vectors and tested by one `pmovmskb` (CSystem's
        // shim), then the last 127 bytes or fewer by eight blocks that end at or before the
        // end (overlapping where fewer), so no loop's count depends on the record's length:
        // an escaped (`ensure_ascii`) record is read to its end. Eight words per 64 bytes and
        // tail loops of words and bytes cost ~0.3 instructions per byte and 2.3 mispredicted
        // branches per record (keptEscaped's scans: 14.5M instructions, 67k mispredicted;
        // callgrind, bench/data/soc_realistic.jsonl, --threads 1).
        typealias V = SIMD16<UInt8>
        func block(_ at: Int) -> V { (base + at).loadUnaligned(as: V.self) }
        if n >= 16 {
            while i + 128 <= n {
                let all =
                    ((block(i) | block(i + 16)) | (block(i + 32) | block(i + 48)))
                    | ((block(i + 64) | block(i + 80)) | (block(i + 96) | block(i + 112)))
                if soc_high_bits16(all) != 0 { return false }
                i += 128
            }
            let last = n - 16
            func tail(_ k: Int) -> V { block(min(i + 16 * k, last)) }
            let rest = ((tail(0) | tail(1)) | (tail(2) | tail(3))) | ((tail(4) | tail(5)) | (tail(6) | tail(7)))
            return soc_high_bits16(rest) == 0
        }
        if n >= 8 {
            // Two words, overlapping where fewer than 16 bytes.
            let any = base.loadUnaligned(as: UInt64.self) | base.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            return any & 0x8080_8080_8080_8080 == 0
        }
        var any: UInt8 = 0
        while i < n {
            any |= line[i]
            i += 1
        }
        return any < 0x80
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
