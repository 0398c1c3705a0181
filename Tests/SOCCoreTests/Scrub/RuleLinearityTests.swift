import Testing

@testable import SOCCore

/// The default message rules take time linear in the message, measured without a clock: every
/// pattern runs with a PCRE2 callout before each item it tries (`.autoCallout`), over the whole
/// substitution (every search and start position), and the count of steps may grow at most
/// about as fast as the text. The old `<(image|gif|video)>.*?</\1>`, which rescans to the end of
/// the message for each unclosed tag (32,000 of them took 10.9 s), grows with the square.
@Suite struct RuleLinearityTests {
    static let names = PersonaNames([("Elias Vance", "quantum_scribe"), ("Zoë O'Brien", nil)])

    /// Steps `rule`'s pattern takes to substitute over `text`.
    static func steps(_ rule: CompiledRule, _ text: String) throws -> Int {
        let matcher = PersonaMatcher()
        matcher.load(names)
        let regex = try PCRE2Regex(
            rule.template.compilable(for: names, extended: false), options: rule.rule.options.union(.autoCallout),
            jit: false)
        matcher.install(on: regex, count: rule.template.personaCount)
        return try count(regex, rule.replacement, text)
    }

    static func count(_ regex: PCRE2Regex, _ replacement: ReplacementTemplate, _ text: String) throws -> Int {
        let check = regex.callout
        var steps = 0
        regex.callout = { callout in
            steps += 1
            return check?(callout) ?? true
        }
        _ = try Array(text.utf8).withUnsafeBytes { try TextScrubber.substitute(regex, replacement, in: $0) }
        return steps
    }

    /// Texts of `n` repeats of a unit that might make a rule rescan.
    static let units: [String] = [
        "<image>", "<gif>x", "<video></image>", "<audio>", "<audio>x</gif>", "<delay ", "<delay x", "</audio>",
        "<end/>", "<end/> ", "<end/><audio>", "<end/><image>", " ", "\n", ":", " :", "\n:", "Elias", "Elias:",
        "Elias Vance:",
        "\nElias:)", "\n**Elias", "\n[Elias]", "\nElias Vance", "a\n:b:c", "xyz ", "é😀",
    ]

    static var subjects: [(String, (Int) -> String)] {
        units.map { unit in (unit, { n in String(repeating: unit, count: n) }) } + [
            ("<end/> then closed audio", { n in String(repeating: "<end/> ", count: n) + "<audio>x</audio>" }),
            ("blanks then a label", { n in String(repeating: " ", count: n) + "Elias: hi" }),
            ("a long line, then a colon", { n in String(repeating: "x", count: n) + ":" }),
            (
                "mixed",
                { n in String(repeating: "<image>a <end/> Elias:b\n<audio> <delay x <gif>", count: max(1, n / 8)) }
            ),
        ]
    }

    @Test func everyDefaultMessageRuleIsLinear() throws {
        let engine = try ScrubEngine(RuleSet.defaults())
        for rule in engine.messageScrubber.rules {
            for (name, make) in Self.subjects {
                let small = try Self.steps(rule, make(400))
                let large = try Self.steps(rule, make(3200))
                // 8x the text: linear is about 8x the steps, quadratic 64x.
                #expect(
                    large <= 10 * small + 100,
                    "\(rule.rule.id) on \(name.debugDescription): \(small) steps for 400 repeats, \(large) for 3200")
            }
        }
    }

    @Test func theMeasureCatchesTheOldQuadraticRule() throws {
        let old = try PCRE2Regex(#"<(image|gif|video)>.*?</\1>"#, options: [.dotAll, .autoCallout], jit: false)
        let replacement = try ReplacementTemplate("{break}$0", captureCount: 1)
        let small = try Self.count(old, replacement, String(repeating: "<image>", count: 100))
        let large = try Self.count(old, replacement, String(repeating: "<image>", count: 800))
        #expect(large > 40 * small)
    }
}
