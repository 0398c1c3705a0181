import Testing

@testable import SOCCore

/// The default rules on single messages: every label shape, inline labels, look-alikes, tags,
/// trimming, and names with metacharacters or non-ASCII letters, with exact expected outputs.
@Suite struct ScrubCorpusTests {
    let engine = try! ScrubEngine(RuleSet.defaults())
    static let elias = PersonaNames([("Elias Vance", "quantum_scribe"), ("Luna Reyes", "StardustSketcher")])
    static let zoe = PersonaNames([("Zoë O'Brien", "theofficial.emma"), ("Élodie A+B (C)", nil)])

    /// The messages `text` becomes (nil: unchanged).
    func scrub(_ text: String, _ names: PersonaNames = elias) -> [String]? {
        let scrubber = engine.messageScrubber
        scrubber.beginRecord()
        return try! scrubber.scrub(Array(text.utf8)) { names }.map {
            $0.pieces.map { String(decoding: $0, as: UTF8.self) }
        }
    }

    func rules(_ text: String, _ names: PersonaNames = elias) -> [String] {
        let scrubber = engine.messageScrubber
        scrubber.beginRecord()
        return (try! scrubber.scrub(Array(text.utf8)) { names })?.changes.map(\.rule) ?? []
    }

    @Test(arguments: [
        ("Elias Vance: Hey there", "Hey there"),
        ("Elias: Hey", "Hey"),
        ("quantum_scribe: hi", "hi"),
        ("Luna Reyes: the other persona's label counts too", "the other persona's label counts too"),
        ("**Luna:** lol", "lol"),
        ("**Luna**: lol", "lol"),
        ("[quantum_scribe]: yo", "yo"),
        ("[Elias Vance]: yo", "yo"),
        ("@StardustSketcher: hi", "hi"),
        ("**@StardustSketcher:** hi", "hi"),
        ("ELIAS VANCE: loud", "loud"),
        ("luna: quiet", "quiet"),
        ("  Luna :  spaced", "spaced"),
        ("\tElias\t:\tTabs", "Tabs"),
        ("Elias:\nnext line", "next line"),
    ])
    func labelShapes(_ input: String, _ expected: String) {
        #expect(scrub(input) == [expected])
    }

    @Test func labelsAtTheStartOfInnerLines() {
        #expect(scrub("ok then\nLuna: sure") == ["ok then\nsure"])
        #expect(scrub("a\n**Elias:** b\n[quantum_scribe]: c") == ["a\nb\nc"])
        #expect(scrub("first\n  @StardustSketcher:   second") == ["first\nsecond"])
        #expect(rules("ok then\nLuna: sure") == ["speaker-label"])
    }

    @Test(arguments: [
        "Thanks Elias!",
        "Elias's idea: let's try it",
        "I told Elias Vance: no",
        "meet at 10:30",
        "@quantum_scribe check this",
        "Eliasson: hello",
        "Elias:)",
        "Elias: no space is not a label, Elias:this",
        "Lunar: eclipse",
        "Say hi to Luna: she says hi",
    ])
    func lookAlikesStay(_ input: String) {
        if input.hasPrefix("Elias: no space") {
            // The label at the start goes; "Elias:this" later in the line is text.
            #expect(scrub(input) == ["no space is not a label, Elias:this"])
        } else {
            #expect(scrub(input) == nil)
        }
    }

    @Test func emptiedMessagesAreDropped() {
        #expect(scrub("Elias Vance:") == [])
        #expect(scrub("**Luna:**   ") == [])
        #expect(scrub("   ") == [])
        #expect(scrub("") == [])
        #expect(rules("Elias Vance:") == ["speaker-label", "drop-empty-message"])
    }

    @Test func tagsSplitMessages() {
        #expect(
            scrub("hey <audio>humming a tune</audio> anyway") == ["hey", "<audio>humming a tune</audio>", "anyway"])
        #expect(scrub("<delay minutes=\"5\"/>Hello, Luna.") == ["<delay minutes=\"5\"/>", "Hello, Luna."])
        #expect(
            scrub("sure <delay hours=\"2\" minutes=\"30\"/> back") == [
                "sure", "<delay hours=\"2\" minutes=\"30\"/>", "back",
            ])
        #expect(
            scrub("look <image>a blurry sunset</image> nice, right?") == [
                "look", "<image>a blurry sunset</image> nice, right?",
            ])
        #expect(scrub("lol<gif>cat falling</gif>") == ["lol", "<gif>cat falling</gif>"])
        #expect(
            scrub("<video>a clip</video><gif>thumbs up</gif>") == ["<video>a clip</video>", "<gif>thumbs up</gif>"])
        #expect(scrub("x <audio>line one\nline two</audio>") == ["x", "<audio>line one\nline two</audio>"])
        #expect(rules("hey <audio>hum</audio> anyway") == ["tag-audio-delay"])
    }

    @Test(arguments: [
        "<audio>alone</audio>",
        "<delay days=\"1\"/>",
        "<image>a photo</image>",
        "<image>a photo</image> with a caption",
        "<gif>facepalm</gif>",
        "bye for now <end/>",
        "<end/>",
        "a < b and <3 -> <https://example.org> <me@example.org>",
        "<audio>never closed",
    ])
    func tagsThatAreFineStay(_ input: String) {
        #expect(scrub(input) == nil)
    }

    @Test func endTagAfterTextOrMediaStays() {
        #expect(scrub("see you <image>wave</image> bye <end/>") == ["see you", "<image>wave</image> bye <end/>"])
        #expect(scrub("look <gif>wave</gif> <end/>") == ["look", "<gif>wave</gif> <end/>"])
    }

    @Test func labelsOnMessagesMadeBySplits() {
        #expect(scrub("Luna: <image>my sketch</image>") == ["<image>my sketch</image>"])
        #expect(scrub("hmm <audio>hum</audio> Elias: anyway") == ["hmm", "<audio>hum</audio>", "anyway"])
    }

    @Test func trimming() {
        #expect(scrub("  hi  ") == ["hi"])
        #expect(scrub("\u{3000}hi\u{00A0}") == ["hi"])
        #expect(scrub("hi\n") == ["hi"])
        #expect(rules("  hi") == ["trim"])
        #expect(scrub("inner  spaces\tstay") == nil)
    }

    @Test func metacharacterAndNonASCIINames() {
        #expect(scrub("Zoë O'Brien: hi", Self.zoe) == ["hi"])
        #expect(scrub("ZOË: hi", Self.zoe) == ["hi"])
        #expect(scrub("zoë: hi", Self.zoe) == ["hi"])
        #expect(scrub("theofficial.emma: hi", Self.zoe) == ["hi"])
        #expect(scrub("@theofficial.emma: hi", Self.zoe) == ["hi"])
        // The dot is a literal dot, not "any character".
        #expect(scrub("theofficialXemma: hi", Self.zoe) == nil)
        #expect(scrub("ÉLODIE: bonjour", Self.zoe) == ["bonjour"])
        #expect(scrub("Élodie A+B (C): plus", Self.zoe) == ["plus"])
        #expect(scrub("Élodie AAB (C): plus", Self.zoe) == nil)
        #expect(scrub("Zoe: no diaeresis, no match", Self.zoe) == nil)
        #expect(scrub("Elias: another chat's name", Self.zoe) == nil)
    }

    @Test func personaWithoutNamesMatchesNoLabel() {
        #expect(scrub("Elias: hi", PersonaNames([])) == nil)
        #expect(scrub(" Elias: hi", PersonaNames([])) == ["Elias: hi"])
    }
}
