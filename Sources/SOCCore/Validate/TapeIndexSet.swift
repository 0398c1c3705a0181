/// A set of tape indices of one document, one bit each, reused across documents without
/// allocating once it has grown to the longest tape.
struct TapeIndexSet {
    private var words: [UInt64] = []

    /// Empties the set for a tape of `count` nodes.
    mutating func reset(count: Int) {
        let needed = count / 64 + 1
        if words.count < needed { words.append(contentsOf: repeatElement(0, count: needed - words.count)) }
        for k in 0..<needed { words[k] = 0 }
    }

    mutating func insert(_ index: Int) {
        words[index >> 6] |= 1 << UInt64(index & 63)
    }

    func contains(_ index: Int) -> Bool {
        index >> 6 < words.count && words[index >> 6] & (1 << UInt64(index & 63)) != 0
    }
}
