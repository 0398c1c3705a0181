@testable import SOCCore

extension Shingler {
    /// Appends the first `count` bytes of `line` as the fingerprinter hands a string's content
    /// over: escaped (`appendEscaped`) or not (`append`), readable up to the line's end.
    func append(first count: Int, of line: [UInt8], escaped: Bool) {
        line.withUnsafeBytes { raw in
            let content = UnsafeRawBufferPointer(rebasing: raw[0..<count])
            if escaped {
                appendEscaped(content, readable: raw.count)
            } else {
                append(content, readable: raw.count)
            }
        }
    }
}
