/// A URI reference split into its RFC 3986 parts, with reference resolution (section 5.2).
///
/// JSON Schema identifies schemas by URI (`$id`, `$ref`, `$anchor`); this is the small part of
/// RFC 3986 that needs, without Foundation's `URL` (which rejects `urn:` bases with fragments
/// and normalises differently across platforms).
public struct SchemaURI: Sendable, Equatable, CustomStringConvertible {
    public var scheme: String?
    public var authority: String?
    public var path: String
    public var query: String?
    public var fragment: String?

    /// Splits `text` into scheme, authority, path, query and fragment.
    public init(_ text: String) {
        var rest = Substring(text)
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...])
            rest = rest[..<hash]
        }
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: mark)...])
            rest = rest[..<mark]
        }
        if let colon = rest.firstIndex(of: ":"), Self.isScheme(rest[..<colon]) {
            scheme = String(rest[..<colon])
            rest = rest[rest.index(after: colon)...]
        }
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            authority = String(rest[..<end])
            rest = rest[end...]
        }
        path = String(rest)
    }

    private static func isScheme(_ text: Substring) -> Bool {
        guard let first = text.first, first.isASCII, first.isLetter else { return false }
        return text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") }
    }

    /// The URI as text.
    public var description: String {
        var out = ""
        if let scheme { out += scheme + ":" }
        if let authority { out += "//" + authority }
        out += path
        if let query { out += "?" + query }
        if let fragment { out += "#" + fragment }
        return out
    }

    /// The URI without its fragment, as text.
    public var withoutFragment: String {
        var copy = self
        copy.fragment = nil
        return copy.description
    }

    /// `reference` resolved against this (absolute) base URI, RFC 3986 section 5.2.2.
    public func resolving(_ reference: String) -> SchemaURI {
        let r = SchemaURI(reference)
        var t = SchemaURI("")
        if r.scheme != nil {
            t = r
            t.path = Self.removeDotSegments(r.path)
        } else {
            t.scheme = scheme
            if r.authority != nil {
                t.authority = r.authority
                t.path = Self.removeDotSegments(r.path)
                t.query = r.query
            } else {
                t.authority = authority
                if r.path.isEmpty {
                    t.path = path
                    t.query = r.query ?? query
                } else {
                    if r.path.hasPrefix("/") {
                        t.path = Self.removeDotSegments(r.path)
                    } else {
                        t.path = Self.removeDotSegments(merge(r.path))
                    }
                    t.query = r.query
                }
            }
        }
        t.fragment = r.fragment
        return t
    }

    private func merge(_ relative: String) -> String {
        if authority != nil && path.isEmpty { return "/" + relative }
        guard let slash = path.lastIndex(of: "/") else { return relative }
        return String(path[...slash]) + relative
    }

    /// RFC 3986 section 5.2.4.
    static func removeDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path }
        var input = Substring(path)
        var output: [Substring] = []
        var absolute = false
        if input.hasPrefix("/") { absolute = true }
        let segments = input.split(separator: "/", omittingEmptySubsequences: false)
        input = ""
        var result: [Substring] = []
        for (k, segment) in segments.enumerated() {
            if k == 0 && absolute { continue }
            if segment == "." {
                if k == segments.count - 1 { result.append("") }
            } else if segment == ".." {
                if !result.isEmpty { result.removeLast() }
                if k == segments.count - 1 { result.append("") }
            } else {
                result.append(segment)
            }
        }
        output = result
        return (absolute ? "/" : "") + output.joined(separator: "/")
    }

    /// Decodes `%XX` escapes (for JSON Pointer fragments).
    public static func percentDecoded(_ text: String) -> String {
        guard text.contains("%") else { return text }
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var k = 0
        while k < utf8.count {
            if utf8[k] == UInt8(ascii: "%"), k + 2 < utf8.count, let high = JSONParser.hexValue(utf8[k + 1]),
                let low = JSONParser.hexValue(utf8[k + 2])
            {
                bytes.append(UInt8(high << 4 | low))
                k += 3
            } else {
                bytes.append(utf8[k])
                k += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// JSON Pointer (RFC 6901) over materialised values, for `$ref: "#/$defs/name"`.
enum JSONPointer {
    /// The reference tokens of `pointer` (`/a~1b/0` → `["a/b", "0"]`).
    static func tokens(_ pointer: String) -> [String] {
        guard !pointer.isEmpty else { return [] }
        return pointer.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).replacingAll("~1", "/").replacingAll("~0", "~")
        }
    }

    /// One token escaped for a pointer.
    static func escape(_ token: String) -> String {
        token.replacingAll("~", "~0").replacingAll("/", "~1")
    }

    /// The value at `pointer` inside `value`, or nil.
    static func resolve(_ pointer: String, in value: JSONValue) -> JSONValue? {
        var current = value
        for token in tokens(pointer) {
            switch current {
            case .object(let members):
                guard let next = members.first(where: { $0.0 == token })?.1 else { return nil }
                current = next
            case .array(let items):
                guard let index = Int(token), index >= 0, index < items.count else { return nil }
                current = items[index]
            default:
                return nil
            }
        }
        return current
    }
}
