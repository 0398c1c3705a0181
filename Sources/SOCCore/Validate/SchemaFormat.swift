/// The `format` values `--strict-format` asserts. Others stay annotations, as the 2020-12
/// format-annotation vocabulary says.
public enum SchemaFormat: String, CaseIterable, Sendable {
    case dateTime = "date-time"
    case date
    case email
    case uuid
    case ipv4
    case ipv6
    case uri

    /// True when the UTF-8 `text` is a valid value of this format.
    public func accepts(_ text: UnsafeRawBufferPointer) -> Bool {
        let bytes = Array(text)
        switch self {
        case .date: return Self.isDate(bytes[...])
        case .dateTime: return Self.isDateTime(bytes)
        case .email: return Self.isEmail(bytes)
        case .uuid: return Self.isUUID(bytes)
        case .ipv4: return Self.isIPv4(bytes[...])
        case .ipv6: return Self.isIPv6(bytes)
        case .uri: return Self.isURI(bytes)
        }
    }

    private static func digits(_ s: ArraySlice<UInt8>) -> Int? {
        guard !s.isEmpty, s.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return s.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    /// RFC 3339 full-date: `YYYY-MM-DD` with a real day of that month.
    static func isDate(_ s: ArraySlice<UInt8>) -> Bool {
        let b = Array(s)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
            let year = digits(b[0..<4]), let month = digits(b[5..<7]), let day = digits(b[8..<10]),
            (1...12).contains(month), day >= 1
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= days[month - 1]
    }

    /// RFC 3339 date-time: `full-date "T" HH:MM:SS[.frac] (Z | ±HH:MM)`; a leap second only at 23:59:60 UTC.
    static func isDateTime(_ b: [UInt8]) -> Bool {
        guard b.count >= 20, isDate(b[0..<10]), b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t") else {
            return false
        }
        let t = Array(b[11...])
        guard t.count >= 9, t[2] == UInt8(ascii: ":"), t[5] == UInt8(ascii: ":"),
            let hour = digits(t[0..<2]), let minute = digits(t[3..<5]), let second = digits(t[6..<8]),
            hour < 24, minute < 60, second <= 60
        else { return false }
        var k = 8
        if t[k] == UInt8(ascii: ".") {
            k += 1
            let start = k
            while k < t.count, t[k] >= 48, t[k] <= 57 { k += 1 }
            guard k > start else { return false }
        }
        guard k < t.count else { return false }
        var offsetMinutes = 0
        if t[k] == UInt8(ascii: "Z") || t[k] == UInt8(ascii: "z") {
            guard k + 1 == t.count else { return false }
        } else {
            guard t[k] == UInt8(ascii: "+") || t[k] == UInt8(ascii: "-"), t.count - k == 6,
                t[k + 3] == UInt8(ascii: ":"),
                let oh = digits(t[(k + 1)..<(k + 3)]), let om = digits(t[(k + 4)..<(k + 6)]), oh < 24, om < 60
            else { return false }
            offsetMinutes = (oh * 60 + om) * (t[k] == UInt8(ascii: "+") ? 1 : -1)
        }
        if second == 60 {
            let utc = ((hour * 60 + minute - offsetMinutes) % 1440 + 1440) % 1440
            return utc == 23 * 60 + 59
        }
        return true
    }

    /// A practical RFC 5321 mailbox: `local@domain`, no spaces, no empty or doubled dots.
    static func isEmail(_ b: [UInt8]) -> Bool {
        guard let at = b.lastIndex(of: UInt8(ascii: "@")), at > 0, at < b.count - 1 else { return false }
        let local = b[..<at]
        let domain = b[(at + 1)...]
        func dotsOK(_ part: ArraySlice<UInt8>) -> Bool {
            part.first != UInt8(ascii: ".") && part.last != UInt8(ascii: ".")
                && !zip(part, part.dropFirst()).contains { $0 == 46 && $1 == 46 }
        }
        guard !b.contains(where: { $0 <= 0x20 }), dotsOK(local) || local.first == UInt8(ascii: "\"") else {
            return false
        }
        if domain.first == UInt8(ascii: "[") { return domain.last == UInt8(ascii: "]") }
        return dotsOK(domain) && !domain.contains(UInt8(ascii: "@"))
    }

    /// `8-4-4-4-12` hexadecimal digits.
    static func isUUID(_ b: [UInt8]) -> Bool {
        guard b.count == 36 else { return false }
        for (k, c) in b.enumerated() {
            if [8, 13, 18, 23].contains(k) {
                if c != UInt8(ascii: "-") { return false }
            } else if JSONParser.hexValue(c) == nil {
                return false
            }
        }
        return true
    }

    /// Dotted quad, each part 0...255 without leading zeros.
    static func isIPv4(_ b: ArraySlice<UInt8>) -> Bool {
        let parts = b.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard part.count <= 3, let value = digits(part), value <= 255 else { return false }
            return part.count == 1 || part.first != UInt8(ascii: "0")
        }
    }

    /// RFC 4291 text form: eight groups, one `::`, an optional trailing IPv4; no zone id.
    static func isIPv6(_ b: [UInt8]) -> Bool {
        guard !b.isEmpty, b.count <= 45 else { return false }
        var text = b[...]
        var groupsNeeded = 8
        if let lastColon = text.lastIndex(of: UInt8(ascii: ":")), text[(lastColon + 1)...].contains(UInt8(ascii: ".")) {
            guard isIPv4(text[(lastColon + 1)...]) else { return false }
            text = text[...lastColon]
            if text.count >= 2, text.suffix(2).elementsEqual([58, 58]) {
                // `::1.2.3.4`: keep the double colon.
            } else {
                text = text.dropLast()
            }
            groupsNeeded = 6
        }
        let doubles = zip(text, text.dropFirst()).filter { $0 == 58 && $1 == 58 }.count
        guard doubles <= 1 else { return false }
        let groups = text.split(separator: 58, omittingEmptySubsequences: false)
        var count = 0
        for (k, group) in groups.enumerated() {
            if group.isEmpty {
                // Empty groups only around `::`.
                let edge = k == 0 || k == groups.count - 1
                guard doubles == 1 else { return false }
                if edge { continue }
                continue
            }
            guard group.count <= 4, group.allSatisfy({ JSONParser.hexValue($0) != nil }) else { return false }
            count += 1
        }
        if doubles == 1 {
            if text.first == 58, !(text.count >= 2 && text[text.startIndex + 1] == 58) { return false }
            if text.last == 58, !(text.count >= 2 && text[text.endIndex - 2] == 58) { return false }
            return count < groupsNeeded
        }
        return count == groupsNeeded && !text.isEmpty
    }

    /// An absolute URI: a scheme, then characters allowed by RFC 3986 (with `%XX` escapes).
    static func isURI(_ b: [UInt8]) -> Bool {
        guard let colon = b.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { return false }
        let scheme = b[..<colon]
        guard let first = scheme.first, (first | 0x20) >= 97, (first | 0x20) <= 122,
            scheme.allSatisfy({
                ($0 | 0x20 >= 97 && $0 | 0x20 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 43 || $0 == 45 || $0 == 46
            })
        else { return false }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=%".utf8)
        var k = colon + 1
        while k < b.count {
            let c = b[k]
            if c == UInt8(ascii: "%") {
                guard k + 2 < b.count, JSONParser.hexValue(b[k + 1]) != nil, JSONParser.hexValue(b[k + 2]) != nil else {
                    return false
                }
                k += 3
                continue
            }
            guard allowed.contains(c) else { return false }
            k += 1
        }
        return true
    }
}
