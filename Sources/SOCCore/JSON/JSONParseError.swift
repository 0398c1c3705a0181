/// Why a line is not a JSON document we accept. The JSON layer names the problem in its own
/// terms; the pipeline maps it to a reason code (`JSONParseError.code`).
public struct JSONParseError: Error, Sendable {
    /// The kinds of problem the parser tells apart.
    public enum Kind: Sendable, Equatable {
        /// Not JSON text (a syntax error, an empty document).
        case malformed
        /// Bytes that are not UTF-8.
        case invalidUTF8
        /// Nested deeper than the parser's limit.
        case tooDeep
        /// Longer than the parser can index (2 GiB).
        case tooLong
    }

    public var kind: Kind
    /// Byte offset in the line where the problem was found.
    public var offset: Int
    public var message: String

    public init(_ kind: Kind, offset: Int, message: String) {
        self.kind = kind
        self.offset = offset
        self.message = message
    }
}
