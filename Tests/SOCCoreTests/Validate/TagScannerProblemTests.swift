import Testing

@testable import SOCCore

/// The scanner as soc-validate reads it: the problems of the ill-formed tags, and whether a
/// well-formed `<end/>` occurs.
@Suite struct TagScannerProblemTests {
    struct Result {
        var problems: [TagScanner.Problem] = []
        var hasEnd = false
    }

    func scan(_ text: String) -> Result {
        var text = text
        var result = Result()
        text.withUTF8 {
            TagScanner.scan(UnsafeRawBufferPointer($0)) { tag in
                if let problem = tag.problem {
                    result.problems.append(problem)
                } else if tag.name == .end {
                    result.hasEnd = true
                }
            }
        }
        return result
    }

    func codes(_ text: String) -> [String] { scan(text).problems.map(\.code.rawValue) }

    @Test func textThatLooksLikeTagsIsText() {
        for text in [
            "I <3 you", "a < b", "x -> y", "<https://example.org/a?b=c>", "mail <ana@example.org>", "<<>>", "<", "1<2",
            "<- back", "< image>",
        ] {
            #expect(codes(text) == [], "\(text)")
        }
    }

    @Test func knownTagsPass() {
        for text in [
            "<image>a cat</image> caption", "<gif>thumbs up</gif>", "<video>clip</video>", "<audio>humming</audio>",
            "<delay minutes=\"30\"/>", "<delay hours=\"6\" days=\"1\" minutes=\"5\" />", "<delay/>", "bye <end/>",
            "bye <end />",
        ] {
            #expect(codes(text) == [], "\(text)")
        }
        #expect(scan("bye <end/>").hasEnd)
        #expect(!scan("bye").hasEnd)
    }

    @Test func unknownAndMalformedTagsAreBad() {
        for text in [
            "<b>bold</b>", "<Image>x</Image>", "<delay minutes=30/>", "<delay weeks=\"2\"/>", "<delay minutes=\"5\">",
            "<delay minutes=\"5\" minutes=\"6\"/>", "<end>", "<image/>", "<image src=\"x\">y</image>", "<image a photo",
        ] {
            #expect(codes(text).contains("bad_tag"), "\(text)")
        }
    }

    @Test func mediaTagsMustBalance() {
        #expect(codes("<image>a photo") == ["unbalanced_tag"])
        #expect(codes("a photo</image>") == ["unbalanced_tag"])
        #expect(codes("<image><gif>x</gif></image>").contains("unbalanced_tag"))
        #expect(codes("<image>x</gif>").contains("unbalanced_tag"))
    }
}
