/// A member name of 4 to 8 bytes as `PersonaValueCache.members(_:_:_:_:)` compares keys with
/// it: its length and two 4-byte words (its first four bytes, and four more from byte
/// `min(max(count - 4, 0), 4)`, which for such a name are its last four).
struct KeyWords {
    let count: Int
    let head: UInt32
    let tail: UInt32

    /// The words of `key` (what the names below are written as; `PersonaValueCacheMembersTests`
    /// compares them).
    init(_ key: StaticString) {
        precondition((4...8).contains(key.utf8CodeUnitCount))
        count = key.utf8CodeUnitCount
        let start = UnsafeRawPointer(key.utf8Start)
        head = start.loadUnaligned(as: UInt32.self)
        tail = start.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
    }

    init(count: Int, head: UInt32, tail: UInt32) {
        self.count = count
        self.head = head
        self.tail = tail
    }

    /// `head` and `tail` as one word, `tail` in the high half.
    var word: UInt64 { UInt64(head) | UInt64(tail) << 32 }

    // Written out (little-endian), not `KeyWords("name")`: a static stored property is made on
    // first use, a `swift_once` call at every use (97k calls on bench/data/soc_realistic.jsonl).
    static var name: KeyWords { KeyWords(count: 4, head: 0x656D_616E, tail: 0x656D_616E) }
    static var username: KeyWords { KeyWords(count: 8, head: 0x7265_7375, tail: 0x656D_616E) }
    static var persona1: KeyWords { KeyWords(count: 8, head: 0x7372_6570, tail: 0x3161_6E6F) }
    static var persona2: KeyWords { KeyWords(count: 8, head: 0x7372_6570, tail: 0x3261_6E6F) }
}

extension PersonaValueCache {
    /// `members(_:_:_:_:)` for names given as `KeyWords`, each key compared by two 4-byte
    /// loads and the result kept without a branch; nil when a key has escapes (then the byte
    /// overload decides). Hand-written hot path (two personas and the experience a chat):
    /// measured with callgrind (bench/data/soc_realistic.jsonl, --threads 1), the walk with a
    /// length test and a `memcmp` call per key cost ~450 instructions and ~10 mispredicted
    /// branches an object.
    ///
    /// The loads stay inside the line: a key's content starting at `p` is followed by its
    /// closing quote, a colon, a value of at least one byte and the object's closing brace, so
    /// `p + 3` is in it whatever the key's length, and a load from `p + 4` is made only for a
    /// key of at least 8 bytes.
    static func members(_ document: JSONDocument, _ object: Int, _ a: KeyWords, _ b: KeyWords) -> (Int?, Int?)? {
        let nodes = document.nodes
        let node = nodes[object]
        guard node.kind == .object, node.count > 0, let base = document.bytes.baseAddress else { return (nil, nil) }
        var key = object + 1
        // Tape indices of the values found (0: none; the root is never a member's value).
        var first = 0
        var second = 0
        var flags: UInt8 = 0
        // Each name's two words as one: four values live through the loop, not six (with six,
        // the loop kept some on the stack and reloaded them at every key): members 6.6 -> 5.4
        // in callgrind's cost model (bench/data/soc_realistic.jsonl, --threads 1).
        let aWord = a.word
        let bWord = b.word
        let aCount = UInt64(a.count)
        let bCount = UInt64(b.count)
        for _ in 0..<Int(node.count) {
            let k = nodes[key]
            flags |= k.flags
            let n = Int(k.end) &- Int(k.start) &- 2
            let p = base + (Int(k.start) &+ 1)
            let head = UInt64(p.loadUnaligned(as: UInt32.self))
            let tail = UInt64(p.loadUnaligned(fromByteOffset: min(max(n &- 4, 0), 4), as: UInt32.self))
            let word = head | tail << 32
            let length = UInt64(truncatingIfNeeded: n)
            let isA = (word ^ aWord) | (length ^ aCount) == 0
            let isB = (word ^ bWord) | (length ^ bCount) == 0
            first = isA ? key &+ 1 : first
            second = isB ? key &+ 1 : second
            key = Int(nodes[key &+ 1].next)
        }
        guard flags & JSONNode.hasEscapes == 0 else { return nil }
        return (first == 0 ? nil : first, second == 0 ? nil : second)
    }
}
