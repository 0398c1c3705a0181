#if canImport(Glibc)
    import Glibc
#endif

/// A strict RFC 8259 parser that validates one line and records a tape of value spans.
///
/// Hand-written on purpose: measured on 200 MB of SOC-shaped JSONL, Foundation's
/// JSONSerialization parsed at ~180 MB/s and lost key order, JSONDecoder drops unknown fields,
/// jansson kept order at ~90 MB/s, and simdjson needed a C++ shim and its own serializer. A
/// validating parser that only records where each value lies in the original bytes lets every
/// tool pass untouched records through byte-identical and splice edits into the rest.
///
/// It validates UTF-8 once (inside strings, where non-ASCII may appear), rejects trailing commas,
/// comments, NaN, leading zeros and control characters in strings, and limits nesting with an
/// explicit stack, so 100,000 `[` is a `too_deep` rejection, not a stack overflow.
///
/// The tape is reused between lines; a `JSONDocument` it returns is valid until the next parse.
public final class JSONParser {
    /// Maximum nesting of arrays and objects.
    public let maxDepth: Int
    private var nodes: UnsafeMutablePointer<JSONNode>
    private var capacity: Int
    private var count = 0
    private var stack: UnsafeMutablePointer<Int32>
    private var stackCapacity: Int

    public init(maxDepth: Int = 512) {
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
    public func parse(_ bytes: UnsafeRawBufferPointer) -> Result<JSONDocument, JSONParseError> {
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

    /// The tape while a line is parsed, held in a local of `parseDocument` and written back
    /// once: as properties of the class, every append would load and store them through `self`.
    private struct Tape {
        var nodes: UnsafeMutablePointer<JSONNode>
        var capacity: Int
        var count = 0

        /// Appends a node and returns its index. Offsets fit in Int32: the line is < 2 GiB.
        #if compiler(>=6.3)
            @inline(always)
        #else
            @inline(__always)
        #endif
        mutating func append(_ kind: JSONKind, _ flags: UInt8, _ start: Int, _ end: Int) -> Int {
            if count == capacity { grow() }
            let index = count
            nodes[index] = JSONNode(
                kind: kind, flags: flags, start: Int32(truncatingIfNeeded: start), end: Int32(truncatingIfNeeded: end),
                next: Int32(truncatingIfNeeded: index + 1), count: 0)
            count = index + 1
            return index
        }

        mutating func grow() {
            let bigger = UnsafeMutablePointer<JSONNode>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: nodes, count: count)
            nodes.deallocate()
            nodes = bigger
            capacity *= 2
        }
    }

    private func growStack() {
        let newCapacity = min(stackCapacity * 2, maxDepth + 1)
        let bigger = UnsafeMutablePointer<Int32>.allocate(capacity: newCapacity)
        bigger.moveInitialize(from: stack, count: stackCapacity)
        stack.deallocate()
        stack = bigger
        stackCapacity = newCapacity
    }

    #if compiler(>=6.3)
        @inline(always)
    #else
        @inline(__always)
    #endif
    private static func skipWhitespace(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int) {
        while i < n {
            // Every whitespace byte is <= 0x20, so most bytes are settled by the first compare.
            let c = p[i]
            guard c <= 0x20, c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D else { return }
            i += 1
        }
    }

    // The innermost open container (`parent`, its kind, its member count so far) lives in locals
    // too, and its count is stored into its node only when a child opens or it closes.
    private func parseDocument(_ p: UnsafePointer<UInt8>, _ n: Int) throws(JSONParseError) {
        var tape = Tape(nodes: nodes, capacity: capacity)
        defer {
            nodes = tape.nodes
            capacity = tape.capacity
            count = tape.count
        }
        var i = 0
        var depth = 0
        // The innermost open container: its tape index (when depth > 0), whether it is an object,
        // and how many values it has so far (stored into its node when a child opens or it closes).
        var parent = 0
        var inObject = false
        var members: Int32 = 0
        parsing: while true {
            // Parse one value at i.
            Self.skipWhitespace(p, n, &i)
            guard i < n else { throw Self.error(p, n, i, "unexpected end of line, expected a value") }
            let c = p[i]
            switch c {
            case UInt8(ascii: "\""):
                var escaped = false
                let end = Self.scanString(p, n, i, &escaped)
                guard end >= 0 else { throw Self.stringError(p, n, i) }
                _ = tape.append(.string, escaped ? JSONNode.hasEscapes : 0, i, end)
                i = end
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                guard depth < maxDepth else {
                    throw JSONParseError(.tooDeep, offset: i, message: "nesting deeper than \(maxDepth) levels")
                }
                let isObject = c == UInt8(ascii: "{")
                let index = tape.append(isObject ? .object : .array, 0, i, i)
                if depth == stackCapacity { growStack() }
                stack[depth] = Int32(truncatingIfNeeded: index)
                if depth > 0 { tape.nodes[parent].count = members }
                depth += 1
                parent = index
                inObject = isObject
                members = 0
                i += 1
                Self.skipWhitespace(p, n, &i)
                if i < n && p[i] == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    i += 1
                    tape.nodes[index].end = Int32(truncatingIfNeeded: i)
                    depth -= 1
                    if depth > 0 {
                        parent = Int(stack[depth - 1])
                        inObject = tape.nodes[parent].kind == .object
                        members = tape.nodes[parent].count
                    }
                    // An empty container is a complete value: fall through to the closing logic.
                } else {
                    if isObject { try Self.parseKey(p, n, &i, &tape) }
                    continue parsing
                }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (end, integer) = try Self.scanNumber(p, n, i)
                _ = tape.append(.number, integer ? JSONNode.isInteger : 0, i, end)
                i = end
            case UInt8(ascii: "t"):
                try Self.literal(p, n, i, "true")
                _ = tape.append(.true, 0, i, i + 4)
                i += 4
            case UInt8(ascii: "f"):
                try Self.literal(p, n, i, "false")
                _ = tape.append(.false, 0, i, i + 5)
                i += 5
            case UInt8(ascii: "n"):
                try Self.literal(p, n, i, "null")
                _ = tape.append(.null, 0, i, i + 4)
                i += 4
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
                // Fewer than 2^31 values fit in a line under 2 GiB: no overflow.
                members &+= 1
                Self.skipWhitespace(p, n, &i)
                guard i < n else {
                    throw Self.error(
                        p, n, i, "unexpected end of line inside \(inObject ? "an object" : "an array")")
                }
                let d = p[i]
                if d == UInt8(ascii: ",") {
                    i += 1
                    if inObject { try Self.parseKey(p, n, &i, &tape) }
                    continue parsing
                }
                if d == (inObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    i += 1
                    tape.nodes[parent].end = Int32(truncatingIfNeeded: i)
                    tape.nodes[parent].next = Int32(truncatingIfNeeded: tape.count)
                    tape.nodes[parent].count = members
                    depth -= 1
                    if depth > 0 {
                        parent = Int(stack[depth - 1])
                        inObject = tape.nodes[parent].kind == .object
                        members = tape.nodes[parent].count
                    }
                    continue
                }
                throw Self.error(p, n, i, inObject ? "expected ',' or '}'" : "expected ',' or ']'")
            }
        }

    }

    /// Parses `"key"` and the `:` after it.
    #if compiler(>=6.3)
        @inline(always)
    #else
        @inline(__always)
    #endif
    private static func parseKey(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: inout Int, _ tape: inout Tape)
        throws(JSONParseError)
    {
        skipWhitespace(p, n, &i)
        guard i < n, p[i] == UInt8(ascii: "\"") else { throw error(p, n, i, "expected a string key") }
        var escaped = false
        let end = scanString(p, n, i, &escaped)
        guard end >= 0 else { throw stringError(p, n, i) }
        _ = tape.append(.string, escaped ? JSONNode.hasEscapes : 0, i, end)
        i = end
        skipWhitespace(p, n, &i)
        guard i < n, p[i] == UInt8(ascii: ":") else { throw error(p, n, i, "expected ':' after a key") }
        i += 1
    }

    /// Checks that `word` (`true`, `false`, `null`) is written at `i`.
    private static func literal(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int, _ word: StaticString)
        throws(JSONParseError)
    {
        let length = word.utf8CodeUnitCount
        guard i + length <= n, memcmp(p + i, word.utf8Start, length) == 0 else {
            throw error(p, n, i, "invalid literal")
        }
    }

    /// Validates the number at `i`; returns the offset after it and whether it is written as an
    /// integer (no fraction, no exponent).
    private static func scanNumber(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int) throws(JSONParseError) -> (Int, Bool)
    {
        var j = i
        var integer = true
        if p[j] == UInt8(ascii: "-") { j += 1 }
        guard j < n else { throw error(p, n, j, "a number needs digits") }
        if p[j] == UInt8(ascii: "0") {
            j += 1
        } else if p[j] >= UInt8(ascii: "1") && p[j] <= UInt8(ascii: "9") {
            j += 1
            while j < n && p[j] &- UInt8(ascii: "0") < 10 { j += 1 }
        } else {
            throw error(p, n, j, "a number needs digits")
        }
        if j < n && p[j] == UInt8(ascii: ".") {
            integer = false
            j += 1
            guard j < n && p[j] &- UInt8(ascii: "0") < 10 else { throw error(p, n, j, "a fraction needs digits") }
            while j < n && p[j] &- UInt8(ascii: "0") < 10 { j += 1 }
        }
        if j < n && (p[j] | 0x20) == UInt8(ascii: "e") {
            integer = false
            j += 1
            if j < n && (p[j] == UInt8(ascii: "+") || p[j] == UInt8(ascii: "-")) { j += 1 }
            guard j < n && p[j] &- UInt8(ascii: "0") < 10 else { throw error(p, n, j, "an exponent needs digits") }
            while j < n && p[j] &- UInt8(ascii: "0") < 10 { j += 1 }
        }
        return (j, integer)
    }

    /// A syntax error, or `invalid_utf8` when the offending byte starts no valid UTF-8 sequence.
    static func error(_ p: UnsafePointer<UInt8>, _ n: Int, _ i: Int, _ message: String) -> JSONParseError {
        if i < n && p[i] >= 0x80 && utf8SequenceLength(p, n, i) == 0 {
            return JSONParseError(.invalidUTF8, offset: i, message: "invalid UTF-8 byte sequence at byte \(i)")
        }
        return JSONParseError(.malformed, offset: i, message: "\(message) at byte \(i)")
    }
}
