import Testing

@testable import SOCCore

/// The default rules on what real SOC data holds (issue 9), with exact expected outputs: labels
/// without a space after the colon (and the emoticons and URLs that look like them), names whose
/// case mapping is not one-to-one, either Unicode normalization, and where `<end/>` goes when a
/// message is split.
@Suite struct ScrubRealDataCorpusTests {
    let engine = try! ScrubEngine(RuleSet.defaults())
    static let elias = PersonaNames([("Elias Vance", "quantum_scribe"), ("Luna Reyes", nil)])

    /// The messages `text` becomes (nil: unchanged).
    func scrub(_ text: String, _ names: PersonaNames = elias) -> [String]? {
        let scrubber = engine.messageScrubber
        scrubber.beginRecord()
        return try! scrubber.scrub(Array(text.utf8)) { names }.map {
            $0.pieces.map { String(decoding: $0, as: UTF8.self) }
        }
    }

    // MARK: 1. No space after the colon

    @Test(arguments: [
        ("Elias Vance:Hey", "Hey"),
        ("Elias:Hey there", "Hey there"),
        ("...dust.\nElias Vance:My mouse is dead", "...dust.\nMy mouse is dead"),
        ("Elias:Déjà vu", "Déjà vu"),
        ("**Luna:**lol", "lol"),
        ("[quantum_scribe]:yo", "yo"),
        ("Elias:😀 hi", "😀 hi"),
        ("Elias:\"quoted\"", "\"quoted\""),
        ("Elias:3pm works", "3pm works"),
    ])
    func labelWithoutSpace(_ input: String, _ expected: String) {
        #expect(scrub(input) == [expected])
    }

    @Test(arguments: [
        "Elias:)", "Elias:-)", "Elias:(", "Elias:P", "Elias:p", "Elias:D lol", "Elias:3", "Elias:O", "Elias:o!",
        "Elias:/ hmm", "Elias:\\", "Elias:|", "Elias:[", "Elias:]", "Elias:<", "Elias:>", "Elias:*waves*", "Elias:'(",
        "Elias://example.org", "Elias:30", "Luna:P\nok", "ok\nElias:-)",
    ])
    func emoticonsAndURLsStay(_ input: String) {
        #expect(scrub(input) == nil)
    }

    // MARK: 2. Case mappings that are not one-to-one

    @Test(arguments: [
        ("SHIVANI YILMAZ: hi", "Shivani Yılmaz"), ("Shivani YILMAZ: hi", "Shivani Yılmaz"),
        ("shivani yilmaz: hi", "Shivani Yılmaz"),
        ("SHİVANİ YILMAZ: hi", "Shivani Yılmaz"), ("ILKNUR: hi", "İlknur Şahin"), ("ilknur: hi", "İlknur Şahin"),
        ("İLKNUR ŞAHİN: hi", "İlknur Şahin"), ("STRAUSS: hi", "Strauß"), ("Strauss: hi", "Strauß"),
        ("JOHANN STRAUSS: hi", "Johann Strauß"), ("STRAUẞ: hi", "Strauß"), ("strauß: hi", "STRAUSS"),
        ("ΣΟΦΊΑ: hi", "Σοφία Παπαδοπούλου"),
        ("ΟΔΥΣΣΕΎΣ: hi", "Οδυσσεύς"), ("οδυσσευς: hi", "Οδυσσευς"), ("IŞIK: hi", "Işık"),
    ])
    func fullCaseFolding(_ input: String, _ name: String) {
        #expect(scrub(input, PersonaNames([(name, nil), ("Elias Vance", nil)])) == ["hi"], "\(input) for \(name)")
    }

    @Test func simpleFoldingLookAlikesStay() {
        // Different letters stay different: dotless ı is i here, but Ş is not S, ß is not B.
        #expect(scrub("SAHIN: hi", PersonaNames([("Şahin", nil)])) == nil)
        #expect(scrub("STRAUB: hi", PersonaNames([("Strauß", nil)])) == nil)
        #expect(scrub("Yilmazz: hi", PersonaNames([("Yılmaz", nil)])) == nil)
    }

    // MARK: 3. Unicode normalization

    @Test func eitherNormalizationMatchesAndTheRestIsKept() {
        let composed = "Zo\u{00EB}"
        let decomposed = "Zoe\u{0308}"
        for name in [composed, decomposed] {
            for label in [composed, decomposed, "ZOE\u{0308}", "ZO\u{00CB}"] {
                let input = "\(label): caf\u{00E9} cafe\u{0301}"
                // Only the label goes; the text keeps its own forms byte for byte.
                #expect(
                    scrub(input, PersonaNames([(name + " Walsh", nil)])) == ["caf\u{00E9} cafe\u{0301}"],
                    "\(label.unicodeScalars.map(\.value)) for \(name.unicodeScalars.map(\.value))")
            }
        }
        #expect(scrub("Zoe: plain e is another letter", PersonaNames([(composed, nil)])) == nil)
    }

    // MARK: 4. <end/> and split tags

    @Test func endTagAfterAudioOrDelaySplitsOff() {
        #expect(scrub("<audio>x</audio> <end/>") == ["<audio>x</audio>", "<end/>"])
        #expect(scrub("ok <audio>hum</audio> <end/>") == ["ok", "<audio>hum</audio>", "<end/>"])
        #expect(scrub("<delay minutes=\"5\"/> <end/>") == ["<delay minutes=\"5\"/>", "<end/>"])
    }

    @Test func endTagAfterTextOrMediaStays() {
        #expect(scrub("bye <end/>") == nil)
        #expect(scrub("<image>a wave</image> <end/>") == nil)
        #expect(scrub("<image>a wave</image> bye <end/>") == nil)
        #expect(scrub("see you <image>wave</image> bye <end/>") == ["see you", "<image>wave</image> bye <end/>"])
    }

    @Test func endTagBeforeASplitMovesToTheEnd() {
        #expect(
            scrub("ok then <end/> <audio>sigh</audio> anyway") == ["ok then", "<audio>sigh</audio>", "anyway <end/>"])
        #expect(scrub("see you <end/> <image>a wave</image> bye") == ["see you", "<image>a wave</image> bye <end/>"])
        #expect(scrub("ok <end/> <audio>sigh</audio>") == ["ok", "<audio>sigh</audio>", "<end/>"])
        #expect(scrub("<end/> <gif>wave</gif>") == ["<gif>wave</gif> <end/>"])
        #expect(scrub("bye <end/> <delay hours=\"1\"/>") == ["bye", "<delay hours=\"1\"/>", "<end/>"])
    }

    @Test func endTagBeforeTextOrUnclosedTagsStays() {
        // Nothing would be split: the message is left as it is (soc-validate reports it).
        #expect(scrub("bye <end/> see you") == nil)
        #expect(scrub("bye <end/> <audio>never closed") == nil)
        #expect(scrub("bye <end/> a < b") == nil)
    }
}

/// The name comparison on its own: equal keys exactly where a reader sees one name.
@Suite struct PersonaKeyTests {
    func same(_ a: String, _ b: String) -> Bool { PersonaKey.key(a) == PersonaKey.key(b) }

    @Test func foldsCaseFullyAndComposes() {
        #expect(same("Strauß", "STRAUSS"))
        #expect(same("Strauß", "STRAUẞ"))
        #expect(same("İlknur", "ILKNUR"))
        #expect(same("İlknur", "ilknur"))
        #expect(same("I\u{307}lknur", "ilknur"))
        #expect(same("Yılmaz", "YILMAZ"))
        #expect(same("Οδυσσεύς", "ΟΔΥΣΣΕΎΣ"))
        #expect(same("Zo\u{EB}", "ZOE\u{308}"))
        #expect(same("\u{1F0}", "J\u{30C}"))
        #expect(same("\u{1F71}", "\u{3AC}"))
        #expect(same("Nguyễn", "NGUYỄN"))
        #expect(same("ﬁona", "FIONA"))
        #expect(!same("Şahin", "Sahin"))
        #expect(!same("Zoë", "Zoe"))
        #expect(!same("Strauß", "Straub"))
    }
}
