/// A short, stable, snake_case name for why a line was rejected or removed
/// (`malformed_json`, `unknown_sender`, `too_few_turns`). Reports count them; `--skip` names them.
public struct ReasonCode: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }
    public static func < (a: ReasonCode, b: ReasonCode) -> Bool { a.rawValue < b.rawValue }

    /// The line is not valid JSON (any syntax error).
    public static let malformedJSON: ReasonCode = "malformed_json"
    /// The line is not valid UTF-8.
    public static let invalidUTF8: ReasonCode = "invalid_utf8"
    /// Arrays and objects nest deeper than `--max-depth`.
    public static let tooDeep: ReasonCode = "too_deep"
    /// The line is longer than `--max-line-bytes`.
    public static let lineTooLong: ReasonCode = "line_too_long"
    /// An empty (or whitespace-only) line, removed and counted.
    public static let emptyLine: ReasonCode = "empty_line"
    /// A UTF-8 byte order mark at the start of an input: skipped and said once (not a rejection).
    public static let byteOrderMark: ReasonCode = "byte_order_mark"
}

extension JSONParseError {
    /// The reason code a line the parser refused is rejected with.
    public var code: ReasonCode {
        switch kind {
        case .malformed: return .malformedJSON
        case .invalidUTF8: return .invalidUTF8
        case .tooDeep: return .tooDeep
        case .tooLong: return .lineTooLong
        }
    }
}
