/// Why a line is not a JSON document we accept.
public struct JSONParseError: Error, Sendable {
    /// `malformed_json`, `invalid_utf8` or `too_deep`.
    public var code: ReasonCode
    /// Byte offset in the line where the problem was found.
    public var offset: Int
    public var message: String

    public init(code: ReasonCode, offset: Int, message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }
}
