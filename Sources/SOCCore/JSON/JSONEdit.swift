/// A replacement of one byte range of a line: how a stage changes a record without
/// re-serializing it, so every untouched byte (key order, spacing, number text) stays as written.
public struct JSONEdit: Sendable {
    /// The bytes of the original line to replace (a value's `span`, or an empty range to insert).
    public var range: Range<Int>
    /// The new bytes (already valid JSON text for the position).
    public var replacement: [UInt8]

    public init(range: Range<Int>, replacement: [UInt8]) {
        self.range = range
        self.replacement = replacement
    }

    /// Replaces the value at `index` of `document` with the JSON string `text`.
    public static func replaceString(in document: JSONDocument, at index: Int, with text: String) -> JSONEdit {
        var bytes = [UInt8]()
        JSONString.appendQuoted(text, to: &bytes)
        return JSONEdit(range: document.span(index), replacement: bytes)
    }

    /// Applies non-overlapping edits to `line`, returning the new line bytes.
    public static func apply(_ edits: [JSONEdit], to line: UnsafeRawBufferPointer) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(line.count + edits.reduce(0) { $0 + $1.replacement.count })
        apply(edits, to: line, appendingTo: &out)
        return out
    }

    /// Applies non-overlapping edits to `line`, appending the new line bytes to `out`.
    public static func apply(_ edits: [JSONEdit], to line: UnsafeRawBufferPointer, appendingTo out: inout [UInt8]) {
        var ordered = true
        for k in edits.indices.dropFirst() where edits[k].range.lowerBound < edits[k - 1].range.lowerBound {
            ordered = false
        }
        let sorted = ordered ? edits : edits.sorted { $0.range.lowerBound < $1.range.lowerBound }
        var position = 0
        for edit in sorted {
            precondition(edit.range.lowerBound >= position, "overlapping JSON edits")
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[position..<edit.range.lowerBound]))
            out.append(contentsOf: edit.replacement)
            position = edit.range.upperBound
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[position...]))
    }
}
