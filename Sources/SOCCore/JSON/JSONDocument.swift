#if canImport(Glibc)
    import Glibc
#endif

/// A parsed line: its original bytes and the tape of values found in them.
///
/// Values are named by their tape index (`root` is 0). Reading a value never copies the line;
/// strings without escapes are compared and hashed in place. A document borrows the line and
/// the parser's tape: it is valid only until the parser reads the next line.
public struct JSONDocument {
    /// The line's bytes.
    public let bytes: UnsafeRawBufferPointer
    /// The tape: every value of the document in order.
    public let nodes: UnsafeBufferPointer<JSONNode>

    public init(bytes: UnsafeRawBufferPointer, nodes: UnsafeBufferPointer<JSONNode>) {
        self.bytes = bytes
        self.nodes = nodes
    }

    /// The tape index of the top-level value.
    public var root: Int { 0 }

    /// The kind of the value at `index`.
    public func kind(_ index: Int) -> JSONKind { nodes[index].kind }

    /// The raw text of the value at `index`, exactly as written in the line.
    public func raw(_ index: Int) -> UnsafeRawBufferPointer {
        let node = nodes[index]
        return UnsafeRawBufferPointer(rebasing: bytes[Int(node.start)..<Int(node.end)])
    }

    /// The byte range of the value at `index` within the line (for splicing edits).
    public func span(_ index: Int) -> Range<Int> {
        Int(nodes[index].start)..<Int(nodes[index].end)
    }

    /// Number of members (object) or elements (array); 0 for scalars.
    public func count(_ index: Int) -> Int { Int(nodes[index].count) }

    // MARK: Navigation

    /// The value of member `key` in the object at `index`, or nil (also when it is not an object).
    ///
    /// Inlined, so the literal's length is known where it is called: keys are compared where
    /// they lie, length first, by machine words (`equalsShort`), and an object with an escaped
    /// key is looked up by the byte overload, which unescapes. Measured (soc-validate --threads
    /// 1 --rejects /dev/null real20.jsonl, callgrind): through the byte overload a lookup on a
    /// chat's root took ~250 instructions (a `stringEquals` and a memcmp call per key of the
    /// same length), and soc-validate makes eleven a record.
    @inline(__always)
    public func member(_ index: Int, _ key: StaticString) -> Int? {
        guard nodes[index].kind == .object else { return nil }
        var found: Int?
        for name in memberKeys(index) {
            let node = nodes[name]
            if node.flags & JSONNode.hasEscapes != 0 {
                return member(index, UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            }
            if stringContent(of: node).equalsShort(key) { found = name + 1 }
        }
        return found
    }

    /// The value of member `key` (UTF-8 bytes, unescaped) in the object at `index`, or nil.
    /// A key given twice reads its last value, as Python's `json.loads` and jq do (the way the
    /// datasets are loaded); soc-validate rejects such records as `duplicate_key`.
    public func member(_ index: Int, _ key: UnsafeRawBufferPointer) -> Int? {
        guard nodes[index].kind == .object else { return nil }
        var child = index + 1
        var found: Int?
        for _ in 0..<nodes[index].count {
            // A key without escapes whose length differs cannot match: told so from its node,
            // without a `stringEquals` call (most keys of an object differ in length).
            let node = nodes[child]
            if node.flags & JSONNode.hasEscapes != 0 || Int(node.end) - Int(node.start) - 2 == key.count,
                stringEquals(child, key)
            {
                found = child + 1
            }
            child = Int(nodes[child + 1].next)
        }
        return found
    }

    /// The value of member `key` in the object at `index`, or nil. Disfavoured, so that a
    /// literal key (`member(i, "messages")`) takes the `StaticString` overload, whose bytes need
    /// no copy: this one cost ~370 instructions a call, and call sites had been cast to
    /// `StaticString` one by one. A key computed at run time comes here.
    @_disfavoredOverload
    public func member(_ index: Int, _ key: String) -> Int? {
        var key = key
        return key.withUTF8 { member(index, UnsafeRawBufferPointer($0)) }
    }

    /// The elements of the array at `index` (tape indices), in order.
    public func elements(_ index: Int) -> ChildSequence {
        ChildSequence(
            nodes: nodes, first: index + 1, count: nodes[index].kind == .array ? Int(nodes[index].count) : 0, stride: 1)
    }

    /// The members of the object at `index` as tape indices of their keys; the value follows its key.
    public func memberKeys(_ index: Int) -> ChildSequence {
        ChildSequence(
            nodes: nodes, first: index + 1, count: nodes[index].kind == .object ? Int(nodes[index].count) : 0, stride: 2
        )
    }

    /// Iterates children by following `next` links.
    public struct ChildSequence: Sequence, IteratorProtocol {
        let nodes: UnsafeBufferPointer<JSONNode>
        var position: Int
        var remaining: Int
        let stride: Int

        init(nodes: UnsafeBufferPointer<JSONNode>, first: Int, count: Int, stride: Int) {
            self.nodes = nodes
            position = first
            remaining = count
            self.stride = stride
        }

        public mutating func next() -> Int? {
            guard remaining > 0 else { return nil }
            remaining -= 1
            let current = position
            // For members, skip the key and then the value's subtree.
            position = stride == 2 ? Int(nodes[current + 1].next) : Int(nodes[current].next)
            return current
        }
    }

    // MARK: Strings

    /// The bytes between the quotes of the string at `index`, escapes left as written.
    // Measured: outlined (soc-validate --threads 1 --rejects /dev/null, 5 MB of gen_soc --realistic
    // --seed 1) it cost 2.1M instructions of call overhead per run (callgrind; run 202.7M with it).
    @inline(__always)
    public func stringContent(_ index: Int) -> UnsafeRawBufferPointer {
        let node = nodes[index]
        return UnsafeRawBufferPointer(rebasing: bytes[Int(node.start) + 1..<Int(node.end) - 1])
    }

    /// `stringContent(_:)` of a string's tape entry already read (`nodes[index]`), without
    /// its bounds checks: the parser put the span, quotes included, inside the line. For the
    /// loops that walk the tape's nodes themselves (one per message in scrub, dedup and stats).
    @inline(__always)
    public func stringContent(of node: JSONNode) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(
            start: bytes.baseAddress! + (Int(node.start) &+ 1), count: Int(node.end &- node.start) &- 2)
    }

    /// True when the string at `index` has backslash escapes.
    public func hasEscapes(_ index: Int) -> Bool { nodes[index].flags & JSONNode.hasEscapes != 0 }

    /// True when the value at `index` is a string whose unescaped UTF-8 equals `other`.
    public func stringEquals(_ index: Int, _ other: UnsafeRawBufferPointer) -> Bool {
        guard nodes[index].kind == .string else { return false }
        let content = stringContent(index)
        if !hasEscapes(index) {
            return content.elementsEqualBytes(other)
        }
        return JSONString.unescape(content).withUnsafeBytes { $0.elementsEqual(other) }
    }

    /// The decoded string at `index` (unescaped; the parser validated its UTF-8).
    public func string(_ index: Int) -> String? {
        guard nodes[index].kind == .string else { return nil }
        let content = stringContent(index)
        if !hasEscapes(index) { return String(decoding: content, as: UTF8.self) }
        return String(decoding: JSONString.unescape(content), as: UTF8.self)
    }

    /// Calls `body` with the unescaped UTF-8 of the string at `index`, copying only if it has escapes.
    public func withStringBytes<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let content = stringContent(index)
        if !hasEscapes(index) { return try body(content) }
        return try JSONString.unescape(content).withUnsafeBytes(body)
    }

    /// Calls `body` with the string at `index` unescaped so that equal bytes mean equal UTF-16
    /// code units: lone surrogates kept as themselves (WTF-8), not replaced by U+FFFD. For
    /// comparing keys, where `"\ud800"`, `"\udc00"` and `"\ufffd"` are three different strings.
    public func withExactStringBytes<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        let content = stringContent(index)
        if !hasEscapes(index) { return try body(content) }
        return try JSONString.unescape(content, keepingLoneSurrogates: true).withUnsafeBytes(body)
    }

    // MARK: Numbers and booleans

    /// The number at `index` as an exact integer, or nil when it is not an integer that fits.
    /// `1.0` and `1e2` count as integers when their value is whole (JSON Schema's view).
    public func integer(_ index: Int) -> Int? {
        guard nodes[index].kind == .number else { return nil }
        if nodes[index].flags & JSONNode.isInteger != 0 {
            let text = raw(index)
            if text.count <= 18 {
                var value = 0
                var negative = false
                for byte in text {
                    if byte == UInt8(ascii: "-") { negative = true } else { value = value * 10 + Int(byte - 48) }
                }
                return negative ? -value : value
            }
            return Int(String(decoding: text, as: UTF8.self))
        }
        guard let value = double(index), value.rounded() == value, abs(value) < 9.0e15 else { return nil }
        return Int(value)
    }

    /// The number at `index` as a Double (nearest), or nil when it is not a number.
    public func double(_ index: Int) -> Double? {
        guard nodes[index].kind == .number else { return nil }
        return Double(Substring(String(decoding: raw(index), as: UTF8.self)))
    }

    /// The boolean at `index`, or nil.
    public func bool(_ index: Int) -> Bool? {
        switch nodes[index].kind {
        case .true: return true
        case .false: return false
        default: return nil
        }
    }
}
