import Testing

@testable import SOCCore

/// The default persona-name rules: a username or @handle leaked into an SPB `name` goes.
@Suite struct PersonaNameRuleTests {
    let engine = try! ScrubEngine(RuleSet.defaults())

    func scrub(_ name: String, username: String?) -> [String]? {
        let scrubber = engine.personaNameScrubber
        scrubber.beginRecord()
        return try! scrubber.scrub(Array(name.utf8)) { PersonaNames([(name, username)]) }
            .map { $0.pieces.map { String(decoding: $0, as: UTF8.self) } }
    }

    @Test func leakedUsernamesAndHandlesGo() {
        #expect(scrub("Brenda Miller (@BrendaM_Law)", username: "BrendaM_Law") == ["Brenda Miller"])
        #expect(scrub("Brenda Miller [brendam_law]", username: "BrendaM_Law") == ["Brenda Miller"])
        #expect(scrub("Leo Kim leok.streams", username: "leok.streams") == ["Leo Kim"])
        #expect(scrub("@night_owl_88 Priya Singh", username: "night_owl_88") == ["Priya Singh"])
        #expect(scrub("Sam Okafor @samwise", username: nil) == ["Sam Okafor"])
        #expect(scrub("Zoë Walsh (@theofficial.emma)", username: "theofficial.emma") == ["Zoë Walsh"])
    }

    @Test func namesThatOnlyLookLikeHandlesStay() {
        #expect(scrub("Emma Stone", username: "emma") == nil)
        #expect(scrub("Brenda Miller", username: "BrendaM_Law") == nil)
        #expect(scrub("Ana-Lucía O'Brien", username: "ana") == nil)
        #expect(scrub("Mail: ann@example.org", username: nil) == nil)
    }
}
