/// What tests and documentation read of a `Shingler`: its tokens and shingles as values (the
/// hot paths never build them).
extension Shingler {
    /// Number of tokens appended since the last `reset()` (counted: tests and documentation).
    public var tokenCount: Int {
        var spaces = 0
        for i in 0..<textCount where text[i] == 0x20 { spaces += 1 }
        return spaces
    }

    /// The normalized text (a copy; tests and documentation).
    public var normalized: [UInt8] { Array(UnsafeBufferPointer(start: text, count: max(0, textCount - 1))) }

    /// Appends the tokens of a Swift string (tests, small inputs).
    public func append(_ string: String) {
        var string = string
        string.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// Each token's start, and one past the text's end (tests and documentation).
    private func tokenStarts() -> [Int] {
        var starts = [0]
        for i in 0..<textCount where text[i] == 0x20 { starts.append(i + 1) }
        return starts
    }

    /// The shingles as strings (tests and documentation only; the hot path never builds them).
    /// Shingle `s` runs from its first token to just before the space that ends its last.
    public func shingles() -> [String] {
        let starts = tokenStarts()
        let tokens = starts.count - 1
        guard tokens > 0 else { return [] }
        let span = min(ngram, tokens)
        return (0..<max(1, tokens - ngram + 1)).map { s in
            let start = starts[s]
            let end = starts[s + span] - 1
            return String(decoding: UnsafeBufferPointer(start: text + start, count: end - start), as: UTF8.self)
        }
    }
}
