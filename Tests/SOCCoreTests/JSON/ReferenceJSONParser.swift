@testable import SOCCore

#if canImport(Glibc)
    import Glibc
#endif

/// The parser as it was before its string, whitespace and key scanning were made faster: the
/// same state machine, one byte at a time, no word or vector loads. Kept only as the oracle of
/// the differential tests (`JSONParserDifferentialTests`): `JSONParser` must give the same tape,
/// or the same error kind, offset and message, for every input. Do not speed this one up.
final class ReferenceJSONParser {
    /// Maximum nesting of arrays and objects.
    let maxDepth: Int
    private var nodes: UnsafeMutablePointer<JSONNode>
    private var capacity: Int
    private var count = 0
    private var stack: UnsafeMutablePointer<Int32>
    private var stackCapacity: Int

    init(maxDepth: Int = 512) {
        // A line under 2 GiB cannot nest deeper than this; a larger limit would overflow the stack growth.
        self.maxDepth = min(max(1, maxDepth), Int(Int32.max))
        capacity = 1024
        nodes = .allocate(capacity: capacity)
        stackCapacity = min(self.maxDepth, 64) + 1
        stack = .allocate(capacity: stackCapacity)
    }

    deinit {
        nodes.deallocate()
        stack.deallocate()
    }

    /// Parses one line. The returned document borrows both `bytes` and this parser's tape.
    func parse(_ bytes: UnsafeRawBufferPointer) -> Result<JSONDocument, JSONParseError> {
        count = 0
        guard let base = bytes.baseAddress, bytes.count > 0 else {
            return .failure(JSONParseError(.malformed, offset: 0, message: "empty document"))
        }
        guard bytes.count < Int(Int32.max) else {
            return .failure(JSONParseError(.tooLong, offset: 0, message: "line longer than 2 GiB"))
        }
        let p = base.assumingMemoryBound(to: UInt8.self)
        do {
            try parseDocument(p, bytes.count)
        } catch {
            return .failure(error)
        }
        return .success(JSONDocument(bytes: bytes, nodes: UnsafeBufferPointer(start: nodes, count: count)))
    }

    // MARK: - The state machine

    private func append(_ kind: JSONKind, _ flags: UInt8, _ start: Int, _ end: Int) -> Int {
        if count == capacity { grow() }
        let index = count
        nodes[index] = JSONNode(
            kind: kind, flags: flags, start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end),
            next: Int32(truncatingIfNeeded: index + 1), count: 0)
        count += 1
        return index
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<JSONNode>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: nodes, count: count)
        nodes.deallocate()
        nodes = bigger
        capacity *= 2
    }

    private func push(_ index: Int, depth: Int) {
        if depth == stackCapacity {
            let newCapacity = min(stackCapacity * 2, maxDepth + 1)
            let bigger = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity)
            bigger.moveInitialize(from: stack, count: depth)
            stack.deallocate()
            stack = bigger
            stackCapacity = newCapacity
        }
        stack[depth] = Int32(truncatingIfNeeded: index)
    }

    private static func skipWhitespace(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) {
        while i < n {
            let c = p[i]
            if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D { i += 1 } else { return }
        }
    }

    private func parseDocument(_ p: UnsafePointer<UInt8>, _ n: Int) throws(JSONParseError) {
        var i = 0
        var depth = 0
        parsing: while true {
            // Parse one value at i.
            Self.skipWhitespace(p, n, &i)
            guard i < n else { throw Self.error(p, n, i, "unexpected end of line, expected a value") }
            let c = p[i]
            switch c {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard depth < maxDepth else {
                    throw JSONParseError(.tooDeep, offset: i, message: "nesting deeper than \(maxDepth) levels")
                }
                let isObject = c == UInt8(ascii: "{")
                let index = append(isObject ? .object : .array, 0, i, i)
                push(index, depth: depth)
                depth += 1
                i += 1
                Self.skipWhitespace(p, n, &i)
                if i < n && p[i] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    i += 1
                    nodes[index].end = Int32(truncatingIfNeeded: i)
                    depth -= 1
                    // An empty container is a complete value: fall through to the closing logic.
                } else {
                    if isObject { try parseKey(p, n, &i) }
                    continue parsing
                }
            case UInt8(ascii: "\""):
                try parseString(p, n, &i)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try parseNumber(p, n, &i)
            case UInt8(ascii: "t"):
                try literal(p, n, &i, "true", .true)
            case UInt8(ascii: "f"):
                try literal(p, n, &i, "false", .false)
            case UInt8(ascii: "n"):
                try literal(p, n, &i, "null", .null)
            default:
                throw Self.error(p, n, i, "unexpected character, expected a value")
            }

            // A value just ended: continue its container, close containers, or finish.
            while true {
                if depth == 0 {
                    Self.skipWhitespace(p, n, &i)
                    guard i == n else { throw Self.error(p, n, i, "unexpected characters after the value") }
                    return
                }
                let parent = Int(stack[depth - 1])
                nodes[parent].count += 1
                Self.skipWhitespace(p, n, &i)
                guard i < n else {
                    throw Self.error(
                        p, n, i,
                        "unexpected end of line inside \(nodes[parent].kind == .object ? "an object" : "an array")")
                }
                let d = p[i]
                let isObject = nodes[parent].kind == .object
                if d == UInt8(ascii: ",") {
                    i += 1
                    if isObject { try parseKey(p, n, &i) }
                    continue parsing
                }
                if d == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    i += 1
                    nodes[parent].end = Int32(truncatingIfNeeded: i)
                    nodes[parent].next = Int32(truncatingIfNeeded: count)
                    depth -= 1
                    continue
                }
                throw Self.error(p, n, i, isObject ? "expected ',' or '}'" : "expected ',' or ']'")
            }
        }
    }

    /// Parses `"key"` and the `:` after it.
    private func parseKey(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) throws(JSONParseError) {
        Self.skipWhitespace(p, n, &i)
        guard i < n, p[i] == UInt8(ascii: "\"") else { throw Self.error(p, n, i, "expected a string key") }
        try parseString(p, n, &i)
        Self.skipWhitespace(p, n, &i)
        guard i < n, p[i] == UInt8(ascii: ":") else { throw Self.error(p, n, i, "expected ':' after a key") }
        i += 1
    }

    private func literal(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int, _ word: StaticString, _ kind: JSONKind)
        throws(JSONParseError)
    {
        let length = word.utf8CodeUnitCount
        guard i + length <= n, memcmp(p + i, word.utf8Start, length) == 0 else {
            throw Self.error(p, n, i, "invalid literal")
        }
        _ = append(kind, 0, i, i + length)
        i += length
    }

    private func parseNumber(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) throws(JSONParseError) {
        let start = i
        var j = i
        var integer = true
        if p[j] == UInt8(ascii: "-") { j += 1 }
        guard j < n else { throw Self.error(p, n, j, "a number needs digits") }
        if p[j] == UInt8(ascii: "0") {
            j += 1
        } else if p[j] >= UInt8(ascii: "1") && p[j] <= UInt8(ascii: "9") {
            j += 1
            while j < n && p[j] &- UInt8(ascii: "0") < 10 { j += 1 }
        } else {
            throw Self.error(p, n, j, "a number needs digits")
        }
        if j < n && p[j] == UInt8(ascii: ".") {
            integer = false
            j += 1
            guard j < n && p[j] &- UInt8(ascii: "0") < 10 else { throw Self.error(p, n, j, "a fraction needs digits") }
            while j < n && p[j] &- UInt8(ascii: "0") < 10 { j += 1 }
        }
        if j < n && (p[j] | 0x20) == UInt8(ascii: "e") {
            integer = false
            j += 1
            if j < n && (p[j] == UInt8(ascii: "+") || p[j] == UInt8(ascii: "-")) { j += 1 }
            guard j < n && p[j] &- UInt8(ascii: "0") < 10 else { throw Self.error(p, n, j, "an exponent needs digits") }
            while j < n && p[j] &- UInt8(ascii: "0") < 10 { j += 1 }
        }
        _ = append(.number, integer ? JSONNode.isInteger : 0, start, j)
        i = j
    }

    /// Parses a string starting at its opening quote; validates escapes and UTF-8.
    private func parseString(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) throws(JSONParseError) {
        let start = i
        var j = i + 1
        var flags: UInt8 = 0
        while true {
            guard j < n else { throw Self.error(p, n, start, "unterminated string") }
            let c = p[j]
            if c == UInt8(ascii: "\"") {
                j += 1
                break
            }
            if c == UInt8(ascii: "\\") {
                flags = JSONNode.hasEscapes
                guard j + 1 < n else { throw Self.error(p, n, start, "unterminated string") }
                switch p[j + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                    UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    j += 2
                case UInt8(ascii: "u"):
                    guard j + 6 <= n else { throw Self.error(p, n, j, "incomplete \\u escape") }
                    for k in 2..<6 where Self.hexValue(p[j + k]) == nil {
                        throw Self.error(p, n, j, "invalid \\u escape")
                    }
                    j += 6
                default:
                    throw Self.error(p, n, j, "invalid escape")
                }
            } else if c < 0x20 {
                throw Self.error(p, n, j, "control character in a string (must be escaped)")
            } else if c < 0x80 {
                j += 1
            } else {
                let length = Self.utf8SequenceLength(p, n, j)
                guard length > 0 else {
                    throw JSONParseError(.invalidUTF8, offset: j, message: "invalid UTF-8 byte sequence at byte \(j)")
                }
                j += length
            }
        }
        _ = append(.string, flags, start, j)
        i = j
    }

    static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// The length of the well-formed UTF-8 sequence at `j` (RFC 3629), or 0 when it is not one.
    static func utf8SequenceLength(_ p: UnsafePointer<UInt8>, _ n: Int, _ j: Int) -> Int {
        let c = p[j]
        func cont(_ k: Int, _ low: UInt8 = 0x80, _ high: UInt8 = 0xBF) -> Bool {
            j + k < n && p[j + k] >= low && p[j + k] <= high
        }
        switch c {
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1, 0xA0) && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xED: return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0
        case 0xF0: return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }

    /// A syntax error, or `invalid_utf8` when the offending byte starts no valid UTF-8 sequence.
    private static func error(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int, _ message: String) -> JSONParseError {
        if i < n && p[i] >= 0x80 && utf8SequenceLength(p, n, i) == 0 {
            return JSONParseError(.invalidUTF8, offset: i, message: "invalid UTF-8 byte sequence at byte \(i)")
        }
        return JSONParseError(.malformed, offset: i, message: "\(message) at byte \(i)")
    }
}
