/// SOC chat lines for tests, written one way (three test files each had their own).
public enum ChatFixture {
    /// `text` as a JSON string literal: `"` and `\` escaped, control characters as `\uXXXX`.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// One chat line: `{"chat_id": id, "experience": experience, "chat_parts": [{"sender",
    /// "messages"}...], extra members...}`. `parts` are (sender id, message texts), quoted here;
    /// `experience` and the values of `extra` are JSON text, written as given. `spaced` puts a
    /// space after each `,` and `:` (as Python's json.dumps does by default).
    public static func line(
        id: String, parts: [(sender: String, messages: [String])], experience: String? = nil,
        extra: [(key: String, json: String)] = [], spaced: Bool = false
    ) -> String {
        let comma = spaced ? ", " : ","
        let colon = spaced ? ": " : ":"
        func member(_ key: String, _ json: String) -> String { quoted(key) + colon + json }
        let encodedParts = parts.map { part in
            "{" + member("sender", quoted(part.sender)) + comma
                + member("messages", "[" + part.messages.map(quoted).joined(separator: comma) + "]") + "}"
        }
        var members = [member("chat_id", quoted(id))]
        if let experience { members.append(member("experience", experience)) }
        members.append(member("chat_parts", "[" + encodedParts.joined(separator: comma) + "]"))
        members += extra.map { member($0.key, $0.json) }
        return "{" + members.joined(separator: comma) + "}"
    }

    /// A chat line with two senders (`aa`, `bb`) taking turns, two messages per part, and a `model`.
    public static func chatLine(id: String, messages: [String]) -> String {
        let parts = stride(from: 0, to: messages.count, by: 2).enumerated().map { n, k in
            (sender: n % 2 == 0 ? "aa" : "bb", messages: Array(messages[k..<min(k + 2, messages.count)]))
        }
        return line(id: id, parts: parts, extra: [("model", "\"m\"")])
    }
}
