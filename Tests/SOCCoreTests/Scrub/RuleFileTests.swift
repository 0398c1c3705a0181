import SOCTestSupport
import Testing

@testable import SOCCore

/// The rule file format, its errors, and how --rules files add to or replace the defaults.
@Suite struct RuleFileTests {
    @Test func parsesKeysQuotingAndContinuations() throws {
        let text = #"""
            # comment
            [one]
            description: removes x
            pattern: ^\s*x\d+
            replace: " - "
            flags: caseless, multiline

            [two]
            applies-to: persona-name
            pattern: (?x) a
              | b
            """#
        let rules = try RuleFileParser.parse(text, file: "t.rules")
        #expect(rules.map(\.id) == ["one", "two"])
        #expect(rules[0].pattern == #"^\s*x\d+"#)
        #expect(rules[0].replacement == " - ")
        #expect(rules[0].options == [.caseless, .multiline])
        #expect(rules[0].line == 2)
        #expect(rules[1].target == .personaName)
        #expect(rules[1].pattern == "(?x) a\n| b")
        #expect(rules[1].replacement == "")
    }

    @Test(arguments: [
        ("pattern: x", "t.rules:1: expected a rule header [rule-id] before 'pattern: x'"),
        ("[a b]\npattern: x", "t.rules:1: rule id 'a b' must be letters, digits, '-', '_' or '.'"),
        ("[a]\ndescription: no pattern", "t.rules:1: rule 'a': rule has no pattern"),
        (
            "[a]\npattern: x\nflags: global",
            "t.rules:3: rule 'a': unknown flag 'global' (use caseless, multiline, dotall, extended)"
        ),
        (
            "[a]\npattern: x\nwhen: always",
            "t.rules:3: rule 'a': unknown key 'when' (use description, applies-to, pattern, replace, flags)"
        ),
        (
            "[a]\npattern: x\napplies-to: sender",
            "t.rules:3: rule 'a': applies-to 'sender' is not one of: message, persona-name"
        ),
        ("[a]\npattern: x\npattern: y", "t.rules:3: rule 'a': 'pattern' is given twice"),
        ("[a]\npattern: x\n[a]\npattern: y", "t.rules:3: rule 'a': rule id is used twice in this file"),
    ])
    func formatErrorsNameFileLineAndRule(_ text: String, _ message: String) {
        #expect(throws: RuleFileError.self) { try RuleFileParser.parse(text, file: "t.rules") }
        do { _ = try RuleFileParser.parse(text, file: "t.rules") } catch { #expect(error.description == message) }
    }

    func compileError(_ text: String) -> String? {
        do {
            var set = RuleSet()
            try set.add(name: "bad.rules", source: "bad.rules", text: text)
            _ = try ScrubEngine(set)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func patternErrorsGivePCRE2MessageAndOffset() {
        #expect(
            compileError("[fine]\npattern: a\n\n[broken]\npattern: ab(c")
                == "bad.rules:4: rule 'broken': pattern does not compile: missing closing parenthesis at offset 4")
        // Offsets count in the pattern as written, placeholders included.
        #expect(
            compileError("[p]\npattern: {name}{username}[")
                == "bad.rules:1: rule 'p': pattern does not compile: missing terminating ] for character class at offset 17"
        )
        #expect(
            compileError("[r]\npattern: (a)\nreplace: $2")
                == "bad.rules:1: rule 'r': bad replacement: replacement uses group 2 but the pattern has 1")
        #expect(
            compileError("[r]\npattern: a\nreplace: 5$")
                == "bad.rules:1: rule 'r': bad replacement: '$' at the end of the replacement (write $$ for a dollar sign)"
        )
        // Lookbehinds must have a fixed length: real names have several lengths.
        #expect(
            compileError("[l]\npattern: (?<={name})x")?.hasPrefix(
                "bad.rules:1: rule 'l': pattern does not compile once placeholders are expanded: ") == true)
    }

    @Test func laterFilesReplaceByNameAndRulesById() throws {
        var set = try RuleSet.defaults()
        try set.add(
            name: "extra.rules", source: "extra.rules",
            text: "[speaker-label]\npattern: ^X:\n\n[shout]\npattern: !!+\nreplace: !")
        #expect(
            set.rules.map(\.id) == [
                "end-tag-last", "tag-audio-delay", "tag-media-caption", "speaker-label", "persona-username-in-name",
                "persona-handle-in-name", "shout",
            ])
        #expect(set.rules[3].pattern == "^X:")
        try set.add(name: "chat.rules", source: "mine/chat.rules", text: "[only]\npattern: z")
        #expect(
            set.rules.map(\.id) == [
                "only", "persona-username-in-name", "persona-handle-in-name", "speaker-label", "shout",
            ])
    }

    @Test func bracesOfRegexEscapesAreNotPlaceholders() {
        #expect(RuleFileParser.unknownPlaceholder(in: #"^\p{L}\P{Lu}\x{263A}\g{1}\k{who}\N{U+41}{name}:"#) == nil)
        #expect(RuleFileParser.unknownPlaceholder(in: #"\p{L}{firstname}"#) == "{firstname}")
        #expect(RuleFileParser.unknownPlaceholder(in: #"\\{firstname}"#) == "{firstname}")
        #expect(RuleFileParser.unknownPlaceholder(in: #"\{firstname}"#) == nil)
    }

    @Test func placeholdersExpandToEscapedLiterals() {
        let template = PatternTemplate(#"^(?:{name}|{first_name}|{username}):\{name}"#)
        let names = PersonaNames([("Zoë O'Brien", "a.b+c"), ("Ann Lee", nil)])
        #expect(
            template.compilable(for: names, extended: false)
                == #"^(?:(?:Zoë\ O\'Brien|Ann\ Lee)|(?:Zoë|Ann)|(?:a\.b\+c)):\{name}"#)
        #expect(PatternTemplate("{username}").compilable(for: PersonaNames([("A", nil)]), extended: false) == "(?!)")
        #expect(template.hasPlaceholders && template.personaCount == 0)
    }

    @Test func personaIsOneCheckedGroupCompiledOnce() {
        let template = PatternTemplate("^{persona}:|hi {persona}")
        #expect(!template.hasPlaceholders)
        #expect(template.personaCount == 2)
        #expect(
            template.compilable(for: nil, extended: false)
                == #"(?:^(?<soc_persona0>[^\n:]{1,100}):|hi (?<soc_persona1>[^\n:]{1,100}))(?C254)"#)
        // In extended mode a trailing comment must not swallow the check.
        #expect(
            PatternTemplate("{persona} # c").compilable(for: nil, extended: true)
                == "(?:(?<soc_persona0>[^\\n:]{1,100}) # c\n)(?C254)")
    }

    @Test func cheapPrecheckIsTheSuffixAfterThePlaceholders() throws {
        let label = #"^[ \t]*(?:\*\*|\[)?@?(?:{name}|{first_name}|{username})(?:\*\*|\])?[ \t]*:(?:\*\*)?(?:[ \t]+|$)"#
        #expect(
            PatternSuffix.after(lastPlaceholderOf: label, options: [.caseless, .multiline])
                == #":(?:\*\*)?(?:[ \t]+|$)"#)
        // The default label rule's {persona} is compiled once, with this cheap pre-check.
        let persona = RuleSet.defaultsRule("speaker-label")
        #expect(
            PatternSuffix.after(lastPlaceholderOf: persona.pattern, options: persona.options)
                == #":(?:\*\*)?(?:[ \t]+|$|(?![)(/\\|\[\]<>*'\-])(?![\p{L}\p{N}](?!\p{L})))"#)
        #expect(
            try ScrubEngine(RuleSet.defaults()).messageScrubber.rules.first { $0.rule.id == "speaker-label" }?.prefilter
                != nil)
        #expect(PatternSuffix.after(lastPlaceholderOf: "a{name}|b", options: []) == nil)
        #expect(PatternSuffix.after(lastPlaceholderOf: "({name})x\\1", options: []) == nil)
        #expect(PatternSuffix.after(lastPlaceholderOf: "(?i){name}: ", options: []) == nil)
        #expect(PatternSuffix.after(lastPlaceholderOf: "{name}:(*COMMIT)x", options: []) == nil)
        #expect(PatternTemplate("{name}(*SKIP):").generalized == nil)
        #expect(PatternTemplate("(?<!x){name}:").generalized == nil)
        #expect(PatternTemplate("^{name}:").generalized == "^(?s:.+):")
        // From the first single literal that is not optional.
        #expect(PatternSuffix.after(lastPlaceholderOf: "{name}[:;]+ ?x", options: []) == "x")
        #expect(PatternSuffix.after(lastPlaceholderOf: "{name}\\.? *-\\s", options: []) == "-\\s")
    }

    @Test func defaultRuleFilesAreTheShippedOnes() throws {
        // rules/scrub/*.rules are what the executable carries; edit them, then run scripts/embed_data.py.
        for file in DefaultRules.files {
            let path = RuleFileTests.repositoryRoot + "/rules/scrub/" + file.name
            var set = RuleSet()
            try set.add(path: path)
            #expect(
                set.files.first?.rules.map(\.pattern)
                    == (try RuleFileParser.parse(file.text, file: file.name)).map(\.pattern))
            #expect(try String(contentsOfPath: path) == file.text)
        }
    }

    static let repositoryRoot: String = Repository.root.path
}

extension RuleSet {
    /// One default rule by id (for tests).
    static func defaultsRule(_ id: String) -> ScrubRule {
        try! RuleSet.defaults().rules.first { $0.id == id }!
    }
}

extension String {
    /// Reads a whole file (tests only; no Foundation in the core).
    init(contentsOfPath path: String) throws {
        self = try RuleSet.readText(path)
    }
}
