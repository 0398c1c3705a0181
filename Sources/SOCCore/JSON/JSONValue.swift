/// A JSON number kept as the text it was written with, so that it is never rounded on output.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The number's JSON text.
    public let text: String

    public init(text: String) { self.text = text }
    public init(_ value: Int) { text = String(value) }
    /// A finite double, written in Swift's shortest round-trip form (non-finite values become 0).
    public init(_ value: Double) {
        if !value.isFinite {
            text = "0"
        } else if value == value.rounded(), abs(value) < 1e15 {
            text = String(Int(value))
        } else {
            text = String(value)
        }
    }

    /// The nearest double.
    public var double: Double { Double(text) ?? .nan }
    public var description: String { text }
}

/// A materialized JSON value with object keys in their original order.
///
/// Used where values are small and few (schemas, reports, configuration); records on the hot
/// path are read through `JSONDocument` instead.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x.text == y.text || x.double == y.double
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            // A repeated key counts once, with its last value (as every tool reads records).
            let xs = lastMembers(x)
            let ys = lastMembers(y)
            return xs.count == ys.count && xs.allSatisfy { key, value in ys[key] == value }
        default: return false
        }
    }

    private static func lastMembers(_ members: [(String, JSONValue)]) -> [String: JSONValue] {
        Dictionary(members, uniquingKeysWith: { _, last in last })
    }

    /// The member `key` of an object (its last occurrence, should the key repeat), or nil.
    public subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members.last { $0.0 == key }?.1 }
        return nil
    }

    /// The string, if this is one.
    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    /// The number as a double, if this is one.
    public var doubleValue: Double? { if case .number(let n) = self { return n.double } else { return nil } }
    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    /// The members, if this is an object.
    public var objectValue: [(String, JSONValue)]? { if case .object(let o) = self { return o } else { return nil } }

    /// Compact JSON text (no spaces), keys in order.
    public func serialized() -> String {
        var out = [UInt8]()
        write(to: &out, indent: nil, level: 0)
        return String(decoding: out, as: UTF8.self)
    }

    /// JSON text indented by two spaces per level, keys in order.
    public func prettyPrinted() -> String {
        var out = [UInt8]()
        write(to: &out, indent: 2, level: 0)
        return String(decoding: out, as: UTF8.self)
    }

    private func write(to out: inout [UInt8], indent: Int?, level: Int) {
        func newline(_ level: Int) {
            guard let indent else { return }
            out.append(10)
            // Copied from one literal, up to 64 at a time: `repeatElement` went through the generic
            // element-by-element append (~170 instructions a line of a stats report).
            let spaces: StaticString = "                                                                "
            var left = indent * level
            while left > 0 {
                let n = Swift.min(left, spaces.utf8CodeUnitCount)
                out.append(contentsOf: UnsafeBufferPointer(start: spaces.utf8Start, count: n))
                left -= n
            }
        }
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n):
            var text = n.text
            text.withUTF8 { out.append(contentsOf: $0) }
        case .string(let s): JSONString.appendQuoted(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (k, item) in items.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1)
                item.write(to: &out, indent: indent, level: level + 1)
            }
            if !items.isEmpty { newline(level) }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            for (k, (key, value)) in members.enumerated() {
                if k > 0 { out.append(UInt8(ascii: ",")) }
                newline(level + 1)
                JSONString.appendQuoted(key, to: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(UInt8(ascii: " ")) }
                value.write(to: &out, indent: indent, level: level + 1)
            }
            if !members.isEmpty { newline(level) }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Parses a whole JSON text (for schemas and configuration files, not for records).
    public static func parse(_ text: [UInt8], maxDepth: Int = 10_000) -> Result<JSONValue, JSONParseError> {
        text.withUnsafeBytes { raw in
            let parser = JSONParser(maxDepth: maxDepth)
            return parser.parse(raw).map { $0.value() }
        }
    }
}

/// Builds JSON values with ordered keys for reports.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}
