import Testing

@testable import SOCCore

/// `ChatChecks.holdsNoTag` (one `<` search shared by the plain messages before it) against
/// the per-message test it stands for in `check`: the first byte is visible ASCII and the
/// text holds no `<` (ChatChecks.swift at 367b749 ran a memchr over each message).
@Suite struct HoldsNoTagTests {
    static func reference(_ text: UnsafeRawBufferPointer) -> Bool {
        guard let first = text.first, first < 0x80, !ChatChecks.isSpace(first) else { return false }
        return !text.contains(UInt8(ascii: "<"))
    }

    @Test func agreesWithAMemchrPerMessage() {
        let pieces = ["a", "Hi there", " ", "<", "<end/>", "é", "\\u003c", "\\n", "x<y", "\\t", ">", " lead"]
        var generator = SystemRandomNumberGenerator()
        var compared = 0
        var knownTags = 0
        for _ in 0..<500 {
            var messages: [String] = []
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                var text = ""
                for _ in 0..<Int.random(in: 0...6, using: &generator) {
                    text += pieces.randomElement(using: &generator)!
                }
                messages.append("\"" + text + "\"")
            }
            let sender = Bool.random(using: &generator) ? "\"<b>\"" : "\"b\""
            let line =
                "{\"x\": \"<a>\", \"chat_parts\": [{\"sender\": \(sender), \"messages\": [\(messages.joined(separator: ", "))]}], \"y\": \"<\"}"
            ValidateFixtures.withDocument(line) { document in
                guard let document else {
                    Issue.record("\(line) does not parse")
                    return
                }
                var nextTag = -1
                for i in 0..<document.nodes.count where document.kind(i) == .string && !document.hasEscapes(i) {
                    #expect(
                        ChatChecks.holdsNoTag(document, i, before: &nextTag)
                            == Self.reference(document.stringContent(i)), "\(line) \(i)")
                    // What `check` concludes from `nextTag` (`knownTag`, so `inspect` skips its
                    // memchr) holds: the text has a `<`.
                    let content = Int(document.nodes[i].start) + 1
                    if nextTag >= content && nextTag < Int(document.nodes[i].end) - 1 {
                        #expect(document.stringContent(i).contains(UInt8(ascii: "<")), "\(line) \(i)")
                        knownTags += 1
                    }
                    compared += 1
                }
            }
        }
        #expect(compared > 500)
        #expect(knownTags > 50)
    }
}
