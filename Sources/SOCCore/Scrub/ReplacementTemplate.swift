/// A rule's replacement, parsed once: literal text, capture groups (`$0`..`$9`, `${12}`), a
/// literal `$` (`$$`), and `{break}`, which ends the message there and starts a new one.
struct ReplacementTemplate {
    enum Piece: Equatable {
        case literal([UInt8])
        case group(Int)
        case messageBreak
    }

    let pieces: [Piece]

    /// Parses `text`; `captureCount` is the pattern's number of groups.
    init(_ text: String, captureCount: Int) throws(ReplacementError) {
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        let bytes = Array(text.utf8)
        let breakToken = Array("{break}".utf8)
        var i = 0
        func flush() {
            if !literal.isEmpty {
                pieces.append(.literal(literal))
                literal = []
            }
        }
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "{"), bytes[i...].starts(with: breakToken) {
                flush()
                pieces.append(.messageBreak)
                i += breakToken.count
                continue
            }
            guard c == UInt8(ascii: "$") else {
                literal.append(c)
                i += 1
                continue
            }
            guard i + 1 < bytes.count else {
                throw ReplacementError(message: "'$' at the end of the replacement (write $$ for a dollar sign)")
            }
            let next = bytes[i + 1]
            var group: Int
            if next == UInt8(ascii: "$") {
                literal.append(next)
                i += 2
                continue
            } else if (48...57).contains(next) {
                group = Int(next - 48)
                i += 2
            } else if next == UInt8(ascii: "{"), let close = bytes[(i + 2)...].firstIndex(of: UInt8(ascii: "}")),
                close > i + 2, let n = Int(String(decoding: bytes[(i + 2)..<close], as: UTF8.self))
            {
                group = n
                i = close + 1
            } else {
                throw ReplacementError(message: "'$' must be followed by a group number, ${n} or $")
            }
            guard group <= captureCount else {
                throw ReplacementError(message: "replacement uses group \(group) but the pattern has \(captureCount)")
            }
            flush()
            pieces.append(.group(group))
        }
        flush()
        self.pieces = pieces
    }

    /// True when every literal byte is one a JSON string holds as it is (printable ASCII but
    /// `"` and `\\`): what the replacement leaves of a string without escapes then needs none
    /// (`MessageChange.plain`).
    var writesPlainBytes: Bool {
        pieces.allSatisfy { piece in
            guard case .literal(let bytes) = piece else { return true }
            return bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        }
    }

    /// True when the replacement splits messages.
    var splits: Bool { pieces.contains(.messageBreak) }

    /// For a replacement that only puts breaks around the whole match (`{break}$0{break}`,
    /// `{break}$0`, `$0{break}`): whether it breaks before and after. A match then changes
    /// nothing when its breaks fall at the very start or end of the text.
    var splitOnly: (before: Bool, after: Bool)? {
        guard let whole = pieces.firstIndex(of: .group(0)), pieces.filter({ $0 == .group(0) }).count == 1,
            pieces.allSatisfy({ $0 == .group(0) || $0 == .messageBreak })
        else { return nil }
        let before = pieces[..<whole].contains(.messageBreak)
        let after = pieces[(whole + 1)...].contains(.messageBreak)
        return before || after ? (before, after) : nil
    }
}

/// Why a replacement could not be parsed.
struct ReplacementError: Error {
    var message: String
}
