import Testing

@testable import SOCCore

/// `PersonaMatcher`'s check by prints (`ShortPrint`) answers exactly as the check by loops
/// over the values and keys, on records whose personas have every kind of name the data has.
@Suite struct PersonaMatcherPrintsTests {
    /// Prints of strings of up to 16 bytes are equal exactly when the strings are; the
    /// lowercased print is the print of the ASCII-lowercased bytes.
    @Test func printsTellShortStringsApart() {
        var random = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("aAzZ@[`{09 _".utf8) + [0x00, 0x7F, 0x80, 0xC3, 0xA9, 0xFF]
        for n in 0...24 {
            for _ in 0..<200 {
                let a = (0..<n).map { _ in alphabet.randomElement(using: &random)! }
                var b = a
                if n > 0 { b[Int.random(in: 0..<n, using: &random)] = alphabet.randomElement(using: &random)! }
                let (pa, pb) = (Self.print(a), Self.print(b))
                if n <= ShortPrint.exactCount { #expect((pa == pb) == (a == b), "\(a) \(b)") }
                if a == b { #expect(pa == pb) }
                let lowered = a.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
                #expect(pa.asciiLowercased == Self.print(lowered), "\(a)")
                if n <= ShortPrint.exactCount { #expect(pa.wordsAreASCII == a.allSatisfy { $0 < 0x80 }) }
            }
        }
    }

    static func print(_ bytes: [UInt8]) -> ShortPrint { bytes.withUnsafeBytes { ShortPrint($0) } }

    /// A label written with the other case of a letter that NFC composes with the mark after
    /// it is not the value (`I` U+0307 is `İ`, whose key is `i`; `i` U+0307 keeps its dot).
    @Test func caseOfALetterBeforeAMarkMatters() throws {
        let parser = JSONParser()
        let matcher = PersonaMatcher()
        let record =
            "{\"experience\": {\"persona1\": " + Self.persona("I\u{307}smail", "i\u{307}smail_903", escaped: false)
            + "}}"
        try Array(record.utf8).withUnsafeBytes { bytes in
            matcher.personaDocument = try parser.parse(bytes).get()
            defer { matcher.personaDocument = nil }
            for (candidate, expected) in [
                ("i\u{307}smail", false), ("I\u{307}smail", true), ("ismail", true), ("İsmail", true),
            ] {
                matcher.reset()
                #expect(Array(candidate.utf8).withUnsafeBytes { matcher.containsOnce($0) } == expected, "\(candidate)")
            }
        }
    }

    static let names: [String?] = [
        nil, "", " ", "Mei Huang", "Mei", "Ilgın Şahin", "İlknur Yılmaz", "Grete Strauß", "Zoe\u{308} O'Brien",
        "Trần Thị Ánh", "Ελένη Οικονόμου", "محمد الأحمد", "王 小明", "Alexandra Konstantinopoulou", "AB", "Élodie",
        "  Elias   Vance  ", "Elias\u{A0}Vance", "\u{FFFD}x", "I\u{307}smail", "i\u{307}smail Kaya", "J\u{30C}ohn",
        "Zoe\u{308}", "İsmail",
    ]
    static let usernames: [String?] = [nil, "", "owl_910", "river_sever", "quantum_scribe_long_name", "ελένη_q", "Q"]

    /// Strings a label check may ask about for a record with these values.
    static func candidates(_ values: [String]) -> [String] {
        var out = ["", "a", "ab", "abc", "meet at 10", "I told Ελένη", "see http", String(repeating: "x", count: 17)]
        for value in values {
            out += [value, value.uppercased(), value.lowercased(), value + "x", "x" + value, String(value.dropLast())]
            // The case of ASCII letters swapped alone (`I` and `i` before U+0307 have other keys).
            let swapped = value.utf8.map { $0 < 0x80 && ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A ? $0 ^ 0x20 : $0 }
            out.append(String(decoding: swapped, as: UTF8.self))
            let characters = Array(value)
            for k in 1..<max(characters.count, 1) { out.append(String(characters[..<k])) }
            // The same length, ends and prints' words, another byte in the middle.
            var bytes = Array(value.utf8)
            if bytes.count > 16 {
                bytes[bytes.count / 2] =
                    bytes[bytes.count / 2] == UInt8(ascii: "q") ? UInt8(ascii: "r") : UInt8(ascii: "q")
                out.append(String(decoding: bytes, as: UTF8.self))
            }
        }
        return out
    }

    /// A JSON string literal of `text`; with `escaped`, every non-ASCII character as `\u` escapes.
    static func literal(_ text: String, escaped: Bool) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0..<0x20: out += "\\u" + hex(UInt16(scalar.value))
            case 0x80... where escaped: for unit in String(scalar).utf16 { out += "\\u" + hex(unit) }
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    static func hex(_ unit: UInt16) -> String {
        let digits = String(unit, radix: 16)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// A persona object with these fields (absent when nil), its keys in the generator's order.
    static func persona(_ name: String?, _ username: String?, escaped: Bool) -> String {
        var members: [String] = []
        if let name { members.append("\"name\": " + literal(name, escaped: escaped)) }
        if let username { members.append("\"username\": " + literal(username, escaped: escaped)) }
        members += ["\"age\": 49", "\"traits\": [\"calm\"]", "\"model\": \"m\"", "\"id\": \"abc\""]
        return "{" + members.joined(separator: ", ") + "}"
    }

    @Test func printsAnswerAsTheLoops() throws {
        let parser = JSONParser()
        let matcher = PersonaMatcher()
        var checked = 0
        for (i, name) in Self.names.enumerated() {
            for (j, username) in Self.usernames.enumerated() {
                let other = Self.names[(i * 7 + j + 3) % Self.names.count]
                let otherUsername = Self.usernames[(i + j * 5 + 1) % Self.usernames.count]
                let escaped = (i + j) % 3 == 0
                let record =
                    "{\"experience\": {\"persona1\": " + Self.persona(name, username, escaped: escaped)
                    + ", \"persona2\": " + Self.persona(other, otherUsername, escaped: !escaped)
                    + ", \"id\": \"x\"}, \"chat_parts\": []}"
                var values = [name, username, other, otherUsername].compactMap { $0 }
                values += values.compactMap { $0.split(separator: " ").first.map(String.init) }
                let candidates = Self.candidates(values) + Self.names.compactMap { $0 }
                // The definition: a candidate is a value when its key is one of the values' keys.
                let keys = Set(
                    [(name, username), (other, otherUsername)].flatMap { pair in
                        PersonaValues(name: pair.0.map { Array($0.utf8) }, username: pair.1.map { Array($0.utf8) }).keys
                    })
                try Array(record.utf8).withUnsafeBytes { bytes in
                    let document = try parser.parse(bytes).get()
                    matcher.personaDocument = document
                    defer { matcher.personaDocument = nil }
                    for candidate in candidates {
                        matcher.reset()
                        let (byPrints, byLoops) = Array(candidate.utf8).withUnsafeBytes {
                            (matcher.containsOnce($0), matcher.containsOnceByLoops($0))
                        }
                        #expect(byPrints == byLoops, "\(candidate.debugDescription) in \(record)")
                        #expect(byLoops == keys.contains(PersonaKey.key(candidate)), "\(candidate.debugDescription)")
                        checked += byLoops ? 1 : 0
                    }
                }
            }
        }
        #expect(checked > 1000)
    }
}
