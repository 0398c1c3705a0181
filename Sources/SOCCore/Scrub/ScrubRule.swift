/// What a scrub rule is applied to.
public enum ScrubTarget: String, Sendable, CaseIterable {
    /// Every message string of a SOC chat (`chat_parts[*].messages[*]`).
    case message
    /// The `name` of an SPB persona record.
    case personaName = "persona-name"
}

/// One rule as written in a rule file: a PCRE2 pattern (with persona placeholders) and what a
/// match is replaced by. Rules run in file order; each sees the text the earlier ones left.
public struct ScrubRule: Sendable {
    /// A short stable name (`speaker-label`), used in the audit and the report's counts.
    public var id: String
    /// One line saying what the rule removes or fixes.
    public var description: String
    /// What the rule applies to (message strings unless said otherwise).
    public var target: ScrubTarget
    /// The pattern as written; `{name}`, `{first_name}` and `{username}` are expanded per record.
    public var pattern: String
    /// The replacement as written: text, `$0`..`$9` / `${n}` groups, `$$`, and `{break}`.
    public var replacement: String
    /// PCRE2 compile options beyond the always-on UTF and UCP.
    public var options: PCRE2Regex.Options
    /// Where the rule was written, for error messages.
    public var file: String
    /// 1-based line of the rule's `[id]` header.
    public var line: Int

    public init(
        id: String, description: String = "", target: ScrubTarget = .message, pattern: String, replacement: String = "",
        options: PCRE2Regex.Options = [], file: String = "<inline>", line: Int = 1
    ) {
        self.id = id
        self.description = description
        self.target = target
        self.pattern = pattern
        self.replacement = replacement
        self.options = options
        self.file = file
        self.line = line
    }

    /// The flag words a rule file may use, and the options they stand for.
    public static let flagWords: [(String, PCRE2Regex.Options)] = [
        ("caseless", .caseless), ("i", .caseless), ("multiline", .multiline), ("m", .multiline),
        ("dotall", .dotAll), ("s", .dotAll), ("extended", .extended), ("x", .extended),
    ]

    /// The canonical flag words of `options`, for listings.
    public var flagNames: [String] {
        [
            ("caseless", PCRE2Regex.Options.caseless), ("multiline", .multiline), ("dotall", .dotAll),
            ("extended", .extended),
        ]
        .filter { options.contains($0.1) }.map(\.0)
    }
}

/// Why a rule file could not be used: the file, the line, the rule (when known), the reason, and
/// for patterns that do not compile PCRE2's message and offset. Ends the run with exit status 2.
public struct RuleFileError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    public var ruleID: String?
    public var message: String

    public init(file: String, line: Int, ruleID: String? = nil, message: String) {
        self.file = file
        self.line = line
        self.ruleID = ruleID
        self.message = message
    }

    public var description: String {
        "\(file):\(line): " + (ruleID.map { "rule '\($0)': " } ?? "") + message
    }
}
