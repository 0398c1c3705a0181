/// Reads the line-oriented rule format (see rules/README.md):
///
/// ```
/// # a comment
/// [speaker-label]
/// description: a speaker label at the start of a line
/// applies-to: message
/// pattern: ^[ \t]*(?:{name}|{first_name})[ \t]*:(?:[ \t]+|$)
/// replace:
/// flags: caseless multiline
/// ```
///
/// A value is the rest of the line after `key:`, without surrounding blanks, taken literally
/// (a regex needs no doubled backslashes). A value wrapped in double quotes keeps its inner
/// blanks. A line that starts with a blank continues the previous value on a new line.
public enum RuleFileParser {
    /// Parses `text` (the contents of `file`) into rules, in order.
    public static func parse(_ text: String, file: String) throws(RuleFileError) -> [ScrubRule] {
        var rules: [ScrubRule] = []
        var current: ScrubRule?
        var seenKeys: Set<String> = []
        var lastKey: String?
        var hasPattern = false

        func finish(_ lineNumber: Int) throws(RuleFileError) {
            guard let rule = current else { return }
            guard hasPattern else {
                throw RuleFileError(file: file, line: rule.line, ruleID: rule.id, message: "rule has no pattern")
            }
            if let unknown = unknownPlaceholder(in: rule.pattern) {
                let known = Placeholder.allCases.map(\.token).joined(separator: ", ")
                throw RuleFileError(
                    file: file, line: rule.line, ruleID: rule.id,
                    message:
                        "unknown placeholder \(unknown) in the pattern (use \(known); write \\\(unknown) for the literal text)"
                )
            }
            rules.append(rule)
            current = nil
        }

        let lines = Self.lines(of: text)
        for (k, rawLine) in lines.enumerated() {
            let lineNumber = k + 1
            let line = Substring(rawLine)
            let stripped = line.drop { $0 == " " || $0 == "\t" }
            if stripped.isEmpty {
                lastKey = nil
                continue
            }
            if stripped.first == "#" { continue }
            if stripped.count < line.count, let key = lastKey, current != nil {
                // Continuation of the previous value.
                let more = try unquote(trimBlanks(stripped), file: file, line: lineNumber)
                try set(
                    key, value: value(of: key, in: current!) + "\n" + more, on: &current!, file: file, line: lineNumber)
                continue
            }
            if line.first == "[" {
                guard line.last == "]" else {
                    throw RuleFileError(file: file, line: lineNumber, message: "rule header must look like [rule-id]")
                }
                try finish(lineNumber)
                let id = String(line.dropFirst().dropLast())
                guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
                else {
                    throw RuleFileError(
                        file: file, line: lineNumber,
                        message: "rule id '\(id)' must be letters, digits, '-', '_' or '.'")
                }
                if rules.contains(where: { $0.id == id }) {
                    throw RuleFileError(
                        file: file, line: lineNumber, ruleID: id, message: "rule id is used twice in this file")
                }
                current = ScrubRule(id: id, pattern: "", file: file, line: lineNumber)
                seenKeys = []
                lastKey = nil
                hasPattern = false
                continue
            }
            guard current != nil else {
                throw RuleFileError(
                    file: file, line: lineNumber, message: "expected a rule header [rule-id] before '\(line)'")
            }
            guard let colon = line.firstIndex(of: ":") else {
                throw RuleFileError(
                    file: file, line: lineNumber, ruleID: current!.id, message: "expected 'key: value', got '\(line)'")
            }
            let key = String(trimBlanks(line[..<colon]))
            let value = try unquote(trimBlanks(line[line.index(after: colon)...]), file: file, line: lineNumber)
            guard seenKeys.insert(key).inserted else {
                throw RuleFileError(
                    file: file, line: lineNumber, ruleID: current!.id, message: "'\(key)' is given twice")
            }
            try set(key, value: value, on: &current!, file: file, line: lineNumber)
            if key == "pattern" { hasPattern = true }
            lastKey = key
        }
        try finish(lines.count)
        return rules
    }

    /// The lines of `text`, split at each "\n" or "\r\n" (as `split` on those Characters does),
    /// found byte by byte: splitting the Characters of the default rule files cost ~1M of
    /// soc-scrub's 23.1M instructions at start-up (callgrind, a one-line input). A "\n" byte is
    /// always a Character boundary, and a "\r" right before it is the rest of its "\r\n".
    static func lines(of text: String) -> [Substring] {
        var lines: [Substring] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        var i = start
        while i != bytes.endIndex {
            if bytes[i] == UInt8(ascii: "\n") {
                var end = i
                if end != start && bytes[bytes.index(before: end)] == UInt8(ascii: "\r") {
                    end = bytes.index(before: end)
                }
                lines.append(text[start..<end])
                start = bytes.index(after: i)
            }
            i = bytes.index(after: i)
        }
        lines.append(text[start..<bytes.endIndex])
        return lines
    }

    private static func set(_ key: String, value: String, on rule: inout ScrubRule, file: String, line: Int)
        throws(RuleFileError)
    {
        switch key {
        case "description": rule.description = value
        case "pattern":
            guard !value.isEmpty else {
                throw RuleFileError(file: file, line: line, ruleID: rule.id, message: "pattern is empty")
            }
            rule.pattern = value
        case "replace": rule.replacement = value
        case "applies-to":
            guard let target = ScrubTarget(rawValue: value) else {
                let known = ScrubTarget.allCases.map(\.rawValue).joined(separator: ", ")
                throw RuleFileError(
                    file: file, line: line, ruleID: rule.id, message: "applies-to '\(value)' is not one of: \(known)")
            }
            rule.target = target
        case "flags":
            var options: PCRE2Regex.Options = []
            for word in value.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" }) {
                guard let flag = ScrubRule.flagWords.first(where: { $0.0 == word }) else {
                    throw RuleFileError(
                        file: file, line: line, ruleID: rule.id,
                        message: "unknown flag '\(word)' (use caseless, multiline, dotall, extended)")
                }
                options.insert(flag.1)
            }
            rule.options = options
        default:
            throw RuleFileError(
                file: file, line: line, ruleID: rule.id,
                message: "unknown key '\(key)' (use description, applies-to, pattern, replace, flags)")
        }
    }

    private static func value(of key: String, in rule: ScrubRule) -> String {
        switch key {
        case "description": return rule.description
        case "pattern": return rule.pattern
        case "replace": return rule.replacement
        case "flags": return rule.flagNames.joined(separator: " ")
        default: return rule.target.rawValue
        }
    }

    private static func trimBlanks(_ s: Substring) -> Substring {
        var s = s
        while let first = s.first, first == " " || first == "\t" { s = s.dropFirst() }
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        return s
    }

    /// The value without its double quotes; a value that opens a quote must close it.
    private static func unquote(_ s: Substring, file: String, line: Int) throws(RuleFileError) -> String {
        guard s.first == "\"" else { return String(s) }
        guard s.count >= 2, s.last == "\"" else {
            throw RuleFileError(
                file: file, line: line,
                message: "unterminated quote: a value that starts with \" must end with \" on the same line")
        }
        return String(s.dropFirst().dropLast())
    }

    /// The first `{identifier}` in `pattern` that is not a known placeholder (escapes skipped,
    /// as `PatternTemplate` reads them); `{2,}` and other quantifiers are regex.
    static func unknownPlaceholder(in pattern: String) -> String? {
        let scalars = Array(pattern.unicodeScalars)
        var i = 0
        while i < scalars.count {
            if scalars[i] == "\\" {
                // `\p{L}`, `\x{263A}`, `\g{1}`, `\k{name}`, `\N{U+41}`, `\o{17}`: the braces belong to the escape.
                if i + 2 < scalars.count, "pPxogkN".unicodeScalars.contains(scalars[i + 1]), scalars[i + 2] == "{" {
                    i += 3
                    while i < scalars.count, scalars[i] != "}" { i += 1 }
                    i += 1
                    continue
                }
                i += 2
                continue
            }
            if scalars[i] == "{", i + 1 < scalars.count,
                scalars[i + 1] == "_" || (scalars[i + 1].isASCII && scalars[i + 1].properties.isAlphabetic)
            {
                var j = i + 1
                while j < scalars.count,
                    scalars[j] == "_"
                        || (scalars[j].isASCII
                            && (scalars[j].properties.isAlphabetic || ("0"..."9").contains(scalars[j])))
                { j += 1 }
                if j < scalars.count, scalars[j] == "}" {
                    var token = ""
                    token.unicodeScalars.append(contentsOf: scalars[i...j])
                    if !Placeholder.allCases.contains(where: { $0.token == token }) { return token }
                }
                i = j
                continue
            }
            i += 1
        }
        return nil
    }
}
