/// The persona values a record offers to rule placeholders: full names, first names and
/// usernames of the chat's two personas (or of the persona record itself). Empty values and
/// `null` usernames are left out; each list is longest first so that alternations prefer the
/// longer name ("Elias Vance" before "Elias").
public struct PersonaNames: Hashable, Sendable {
    public private(set) var names: [String] = []
    public private(set) var firstNames: [String] = []
    public private(set) var usernames: [String] = []

    /// Collects the values of `personas` (name, username pairs; either may be missing).
    public init(_ personas: [(name: String?, username: String?)]) {
        for persona in personas {
            if let name = persona.name {
                // Words split at Unicode White_Space, joined by single spaces.
                let words = name.unicodeScalars.split { BlankText.isWhitespace($0.value) }
                if let first = words.first {
                    Self.add(
                        words.count == 1 ? String(first) : words.map(String.init).joined(separator: " "), to: &names)
                    Self.add(String(first), to: &firstNames)
                }
            }
            if let username = persona.username {
                Self.add(username.trimmingBlanks, to: &usernames)
            }
        }
        for k in [\PersonaNames.names, \.firstNames, \.usernames] {
            self[keyPath: k].sort { $0.utf8.count != $1.utf8.count ? $0.utf8.count > $1.utf8.count : $0 < $1 }
        }
    }

    private static func add(_ value: String, to list: inout [String]) {
        if !value.isEmpty && !list.contains(value) { list.append(value) }
    }

    /// The values of one placeholder (`{persona}`: all of them).
    func values(_ placeholder: Placeholder) -> [String] {
        switch placeholder {
        case .name: return names
        case .firstName: return firstNames
        case .username: return usernames
        case .persona: return names + firstNames + usernames
        }
    }

    /// The key of the rule cache: the same values in any persona order give the same key.
    var cacheKey: String {
        names.joined(separator: "\u{1F}") + "\u{1E}" + usernames.joined(separator: "\u{1F}")
    }
}

/// A placeholder a rule pattern may use. `{name}`, `{first_name}` and `{username}` are
/// expanded to the record's values (the pattern is compiled per persona set); `{persona}` is
/// compiled once and checked by lookup (`PersonaMatcher`).
enum Placeholder: CaseIterable {
    case name, firstName, username, persona

    /// How it is written in a pattern.
    var token: String {
        switch self {
        case .name: return "{name}"
        case .firstName: return "{first_name}"
        case .username: return "{username}"
        case .persona: return "{persona}"
        }
    }

    /// A group of the token's length, so that compile-error offsets point into the written pattern.
    var sameLengthDummy: String {
        "(?:" + String(repeating: "x", count: token.count - 4) + ")"
    }
}

/// A pattern split into literal regex text and placeholders. `\{name}` is a literal brace.
struct PatternTemplate {
    enum Piece {
        case regex(String)
        case placeholder(Placeholder)
    }

    let pieces: [Piece]

    init(_ pattern: String) {
        var pieces: [Piece] = []
        var text = ""
        var rest = Substring(pattern)
        scan: while let c = rest.first {
            if c == "\\" {
                text.append(c)
                rest = rest.dropFirst()
                if let next = rest.first {
                    text.append(next)
                    rest = rest.dropFirst()
                }
                continue
            }
            if c == "{" {
                for placeholder in Placeholder.allCases where rest.hasPrefix(placeholder.token) {
                    if !text.isEmpty {
                        pieces.append(.regex(text))
                        text = ""
                    }
                    pieces.append(.placeholder(placeholder))
                    rest = rest.dropFirst(placeholder.token.count)
                    continue scan
                }
            }
            text.append(c)
            rest = rest.dropFirst()
        }
        if !text.isEmpty { pieces.append(.regex(text)) }
        self.pieces = pieces
    }

    /// True when the pattern uses `{name}`, `{first_name}` or `{username}` (it is then
    /// compiled per persona set).
    var hasPlaceholders: Bool {
        pieces.contains { if case .placeholder(let p) = $0 { return p != .persona } else { return false } }
    }

    /// How many `{persona}` placeholders the pattern has (checked by lookup, compiled once).
    var personaCount: Int {
        pieces.filter { if case .placeholder(.persona) = $0 { return true } else { return false } }.count
    }

    /// The pattern to compile: `{persona}` placeholders become checked groups (and the check
    /// callout is appended), the others the values of `names` (nil: the pattern has none).
    func compilable(for names: PersonaNames?, extended: Bool) -> String {
        var k = 0
        let body = expanded { placeholder in
            if placeholder == .persona {
                defer { k += 1 }
                return PersonaMatcher.group(k)
            }
            let values = names?.values(placeholder) ?? []
            if values.isEmpty { return "(?!)" }
            return "(?:" + values.map(Self.literal).joined(separator: "|") + ")"
        }
        return k > 0 ? PersonaMatcher.wrap(body, extended: extended) : body
    }

    /// The pattern with each placeholder replaced by `body(placeholder)`.
    func expanded(_ body: (Placeholder) -> String) -> String {
        pieces.map { piece in
            switch piece {
            case .regex(let text): return text
            case .placeholder(let placeholder): return body(placeholder)
            }
        }.joined()
    }

    /// A pattern that matches wherever the record's pattern could, for any values (each
    /// placeholder becomes "any text"); nil when that is not so, because the pattern has a
    /// negative assertion, a condition or a backtracking verb by which "any text" could match less.
    var generalized: String? {
        let written = expanded { $0.token }
        for negative in ["(?!", "(?<!", "(*", "(?(", "\\G"] where written.contains(negative) { return nil }
        return expanded { _ in "(?s:.+)" }
    }

    /// `value` as a regex literal: every ASCII character that is not a letter or digit is
    /// escaped with a backslash (always a literal in PCRE2, also in extended mode).
    static func literal(_ value: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(value.utf8.count + 8)
        for byte in value.utf8 {
            let isAlphanumeric =
                (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
            if byte < 0x80 && !isAlphanumeric { bytes.append(UInt8(ascii: "\\")) }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
