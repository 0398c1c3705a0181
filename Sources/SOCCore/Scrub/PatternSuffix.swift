/// The cheap pre-check of a pattern with placeholders: the part of its top-level sequence after
/// the last placeholder, starting at the first plain literal. Any match of the whole pattern
/// contains a match of that suffix, so a subject the suffix does not match is skipped without
/// compiling the per-persona pattern (`:(?:\*\*)?(?:[ \t]+|$)` for the speaker label).
enum PatternSuffix {
    /// The suffix pattern, or nil when the pattern's shape is not simple enough to cut safely
    /// (top-level alternation, `\Q`, inline options, references back into the cut part, ...).
    static func after(lastPlaceholderOf pattern: String, options: PCRE2Regex.Options) -> String? {
        if options.contains(.extended) { return nil }
        guard let items = topLevelItems(Array(pattern.unicodeScalars)) else { return nil }
        guard let last = items.lastIndex(where: \.hasPlaceholder) else { return nil }
        let prefix = items[...last].map(\.text).joined()
        let rest = Array(items[(last + 1)...])
        // Inline options or verbs in the cut part would change how the suffix is read.
        for marker in ["(?i", "(?m", "(?s", "(?x", "(?n", "(?J", "(?U", "(?^", "(?-", "(*"]
        where holds(prefix, marker) { return nil }
        guard let start = rest.firstIndex(where: \.isPlainLiteral) else { return nil }
        let suffix = rest[start...].map(\.text).joined()
        // References to groups that were cut off.
        // `\G` and backtracking verbs depend on where the search started, not only on the text.
        for marker in [
            "\\G", "(*", "\\g", "\\k", "(?P", "(?&", "(?R", "(?(", "(?1", "(?2", "(?3", "(?4", "(?5", "(?6", "(?7",
            "(?8", "(?9", "(?+", "(?-",
        ] where holds(suffix, marker) { return nil }
        for digit in 1...9 where holds(suffix, "\\\(digit)") { return nil }
        return suffix
    }

    /// Whether `text` holds `marker` (ASCII), compared byte by byte, so also where a combining
    /// mark follows it and `String.contains` says no (the suffix is then not used: the safe
    /// side). `String.contains` (the string-processing searcher) cost ~28k instructions a call:
    /// 1.4M of soc-scrub's 23.1M at start-up with the default rules, which every run pays
    /// (callgrind, a one-line input).
    static func holds(_ text: String, _ marker: String) -> Bool {
        let t = Array(text.utf8)
        let m = Array(marker.utf8)
        guard !m.isEmpty, m.count <= t.count else { return m.isEmpty }
        for start in 0...(t.count - m.count) where t[start] == m[0] {
            var k = 1
            while k < m.count && t[start + k] == m[k] { k += 1 }
            if k == m.count { return true }
        }
        return false
    }

    struct Item {
        var text: String
        var hasPlaceholder: Bool
        /// One literal character, not optional (no `?`, `*` or `{0,` after it).
        var isPlainLiteral: Bool
    }

    /// Splits a pattern into its top-level items (atom plus quantifier); nil when it has a
    /// top-level `|`, `\Q`, or brackets that do not balance.
    static func topLevelItems(_ s: [Unicode.Scalar]) -> [Item]? {
        var items: [Item] = []
        var i = 0
        let tokens = Placeholder.allCases.map { Array($0.token.unicodeScalars) }
        func startsPlaceholder(_ at: Int) -> Int? {
            for token in tokens where at + token.count <= s.count && Array(s[at..<(at + token.count)]) == token {
                return token.count
            }
            return nil
        }
        while i < s.count {
            let start = i
            var placeholder = false
            var literal = false
            let c = s[i]
            if c == "|" { return nil }
            if c == "\\" {
                guard i + 1 < s.count else { return nil }
                let e = s[i + 1]
                if e == "Q" || e == "E" { return nil }
                i += 2
                if "xpPNgkoc".unicodeScalars.contains(e), i < s.count, s[i] == "{" || s[i] == "<" || s[i] == "'" {
                    let close: Unicode.Scalar = s[i] == "{" ? "}" : (s[i] == "<" ? ">" : "'")
                    guard let end = s[i...].firstIndex(of: close) else { return nil }
                    i = end + 1
                } else if e == "c" {
                    i += 1
                } else {
                    literal = !(e.properties.isAlphabetic || ("0"..."9").contains(e))
                }
            } else if c == "[" {
                i += 1
                if i < s.count && s[i] == "^" { i += 1 }
                if i < s.count && s[i] == "]" { i += 1 }
                while i < s.count && s[i] != "]" {
                    if s[i] == "\\" {
                        i += 2
                        continue
                    }
                    if s[i] == "[" && i + 1 < s.count && s[i + 1] == ":" {
                        guard let end = s[(i + 2)...].firstIndex(of: "]") else { return nil }
                        i = end + 1
                        continue
                    }
                    i += 1
                }
                guard i < s.count else { return nil }
                i += 1
            } else if c == "(" {
                var depth = 0
                while i < s.count {
                    if s[i] == "\\" {
                        if i + 1 < s.count && (s[i + 1] == "Q") { return nil }
                        i += 2
                        continue
                    }
                    if s[i] == "[" {
                        // Skip a class inside the group.
                        i += 1
                        if i < s.count && s[i] == "^" { i += 1 }
                        if i < s.count && s[i] == "]" { i += 1 }
                        while i < s.count && s[i] != "]" {
                            if s[i] == "\\" { i += 1 }
                            i += 1
                        }
                        i += 1
                        continue
                    }
                    if s[i] == "{", let length = startsPlaceholder(i) {
                        placeholder = true
                        i += length
                        continue
                    }
                    if s[i] == "(" { depth += 1 }
                    if s[i] == ")" {
                        depth -= 1
                        if depth == 0 {
                            i += 1
                            break
                        }
                    }
                    i += 1
                }
                guard depth == 0 else { return nil }
            } else if c == "{", let length = startsPlaceholder(i) {
                placeholder = true
                i += length
            } else {
                literal = !".^$".unicodeScalars.contains(c)
                i += 1
            }
            // A quantifier, with its lazy or possessive mark.
            var optional = false
            if i < s.count {
                if s[i] == "?" || s[i] == "*" {
                    optional = true
                    i += 1
                } else if s[i] == "+" {
                    i += 1
                } else if s[i] == "{", startsPlaceholder(i) == nil,
                    let end = s[i...].firstIndex(of: "}"),
                    s[(i + 1)..<end].allSatisfy({ ("0"..."9").contains($0) || $0 == "," }), end > i + 1
                {
                    optional = s[i + 1] == "0" || s[i + 1] == ","
                    i = end + 1
                }
                if i < s.count && (s[i] == "?" || s[i] == "+") && i > start + 1
                    && "?*+}".unicodeScalars.contains(s[i - 1])
                {
                    i += 1
                }
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: s[start..<i])
            items.append(Item(text: text, hasPlaceholder: placeholder, isPlainLiteral: literal && !optional))
        }
        return items
    }
}
