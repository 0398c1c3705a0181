import Foundation

@testable import SOCCore

/// Parses `text` with a fresh parser and hands the document to `body` while it is valid.
func withDocument<R>(_ text: String, maxDepth: Int = 512, _ body: (JSONDocument) throws -> R) throws -> R {
    try withDocument(bytes: Array(text.utf8), maxDepth: maxDepth, body)
}

/// Parses raw bytes with a fresh parser and hands the document to `body`.
func withDocument<R>(bytes: [UInt8], maxDepth: Int = 512, _ body: (JSONDocument) throws -> R) throws -> R {
    let parser = JSONParser(maxDepth: maxDepth)
    return try bytes.withUnsafeBytes { raw in
        try body(parser.parse(raw).get())
    }
}

/// The parse error for `bytes`, or nil when they parse.
func parseError(_ bytes: [UInt8], maxDepth: Int = 512) -> JSONParseError? {
    let parser = JSONParser(maxDepth: maxDepth)
    return bytes.withUnsafeBytes { raw in
        if case .failure(let error) = parser.parse(raw) { return error }
        return nil
    }
}
