/// The kind of a JSON value.
public enum JSONKind: UInt8, Sendable {
    case null, `false`, `true`, number, string, array, object

    /// The JSON Schema type name (`integer` is not distinguished here).
    public var name: String {
        switch self {
        case .null: return "null"
        case .false, .true: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// The type name with its article, for messages: "an array", "a string".
    public var nameWithArticle: String {
        switch self {
        case .array, .object: return "an \(name)"
        default: return "a \(name)"
        }
    }
}

/// One value in a parsed document's tape: its kind and the span of its text in the line.
///
/// Containers are followed by their children in document order; an object's children alternate
/// key string, value. `next` is the index just past this value's subtree, so siblings are
/// reached without walking into children.
public struct JSONNode: Sendable {
    public var kind: JSONKind
    /// For strings: `JSONNode.hasEscapes`; for numbers: `JSONNode.isInteger`.
    public var flags: UInt8
    /// Byte offset of the value's first byte (the opening quote or bracket).
    public var start: Int32
    /// Byte offset just past the value's last byte.
    public var end: Int32
    /// Index of the node after this value's subtree.
    public var next: Int32
    /// Number of members (objects) or elements (arrays).
    public var count: Int32

    /// A string whose text contains a backslash escape (so it must be unescaped to read it).
    public static let hasEscapes: UInt8 = 1
    /// A number written without a fraction or exponent.
    public static let isInteger: UInt8 = 2
}
