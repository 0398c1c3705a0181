/// The `{persona}` placeholder: any of the record's persona values (full names, first names,
/// usernames), compared the way a person reads a name, not byte for byte: under full Unicode
/// case folding after mapping `ı` and `İ` to `i` (so `STRAUSS` is `Strauß` and `ILKNUR` is
/// `İlknur`), and under canonical equivalence (`Zoë` composed or decomposed).
///
/// A rule using it is compiled once, not per persona pair: `{persona}` becomes a named group of
/// 1 to 100 characters on one line, and a PCRE2 callout at the end of the pattern accepts a
/// match only when that group holds one of the current record's values; otherwise PCRE2
/// backtracks and tries the other lengths, so the rule matches exactly where an alternation of
/// the values would. One matcher serves the rules of one target on one thread.
final class PersonaMatcher {
    /// The longest value `{persona}` can stand for, in characters.
    static let maxCharacters = 100
    /// The callout number the end-of-pattern check uses.
    static let checkCallout = 254

    /// The current record's values, folded (see `PersonaKey`).
    private var keys: [[UInt8]] = []

    /// Takes the values of a record (call before matching its strings).
    func load(_ names: PersonaNames) {
        keys.removeAll(keepingCapacity: true)
        for value in names.names + names.firstNames + names.usernames {
            let key = PersonaKey.key(value)
            if !keys.contains(key) { keys.append(key) }
        }
    }

    /// True when `candidate` (UTF-8) is one of the loaded values.
    func contains(_ candidate: UnsafeRawBufferPointer) -> Bool {
        guard !keys.isEmpty else { return false }
        let key = PersonaKey.key(candidate)
        return keys.contains(key)
    }

    /// The regex text `{persona}` number `k` of a pattern stands for.
    static func group(_ k: Int) -> String {
        "(?<\(groupName(k))>[^\\n]{1,\(maxCharacters)})"
    }

    static func groupName(_ k: Int) -> String { "soc_persona\(k)" }

    /// `pattern` (with its `{persona}` groups expanded) followed by the check callout.
    static func wrap(_ pattern: String, extended: Bool) -> String {
        // A comment at the end of an extended pattern would swallow the callout.
        "(?:" + pattern + (extended ? "\n" : "") + ")(?C\(checkCallout))"
    }

    /// Makes `regex` (compiled from `wrap`) accept a match only when each of its `count`
    /// `{persona}` groups that took part holds a loaded value.
    func install(on regex: PCRE2Regex, count: Int) {
        let groups = (0..<count).compactMap { regex.groupNumber(named: Self.groupName($0)) }
        regex.callout = { [self] callout in
            guard callout.number == Self.checkCallout else { return true }
            for g in groups {
                guard let range = callout.group(g) else { continue }
                if !contains(UnsafeRawBufferPointer(rebasing: callout.subject[range])) { return false }
            }
            return true
        }
    }
}

/// How `{persona}` compares names: NFC, `ı`/`İ` to `i`, full case folding, NFC again, as UTF-8.
/// Full case folding is taken as lower(upper(lower(c))) per scalar, which agrees with Unicode's
/// CaseFolding.txt on which strings are equal (`ß`, `ẞ` and `SS` all become `ss`, final sigma
/// becomes sigma).
enum PersonaKey {
    /// The key of `text`.
    static func key(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { key(UnsafeRawBufferPointer($0)) }
    }

    /// The key of UTF-8 `bytes`.
    static func key(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            // ASCII folds to its lowercase, and NFC leaves it as it is.
            return bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        }
        let composed = String(decoding: String(decoding: bytes, as: UTF8.self)._nfcCodeUnits, as: UTF8.self)
        var folded = String.UnicodeScalarView()
        for scalar in composed.unicodeScalars {
            if scalar.value == 0x130 || scalar.value == 0x131 {
                folded.append("i")
                continue
            }
            for lower in scalar.properties.lowercaseMapping.unicodeScalars {
                for upper in lower.properties.uppercaseMapping.unicodeScalars {
                    folded.append(contentsOf: upper.properties.lowercaseMapping.unicodeScalars)
                }
            }
        }
        return Array(String(folded)._nfcCodeUnits)
    }
}
