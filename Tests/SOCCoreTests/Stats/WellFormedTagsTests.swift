import SOCTestSupport
import Testing

@testable import SOCCore

/// `ChatStats.countTags` (well-formed tags by `WellFormedTags`, the rest by `TagScanner`)
/// against `ChatStats.scanTags` (every message by `TagScanner`): the same counts, bits and
/// delays for random tag soup, and the fast path taken for the forms real chats hold.
@Suite struct WellFormedTagsTests {
    /// Pieces of messages: the well-formed tags, their near misses (case, spaces, attributes,
    /// unknown names, truncation), `<` that starts no tag, and plain and non-ASCII text.
    static let pieces: [String] = [
        "<image>", "</image>", "<gif>", "</gif>", "<audio>", "</audio>", "<video>", "</video>", "<end/>",
        #"<delay minutes="5"/>"#, #"<delay hours="12"/>"#, #"<delay days="3"/>"#, #"<delay weeks="3"/>"#,
        #"<delay hours="x"/>"#, #"<delay hours=""/>"#, #"<delay hours="2" />"#, #"<delay minutes="1" hours="2"/>"#,
        "<delay/>", "<IMAGE>", "<Image>", "</IMAGE>", "<image >", "<image/>", "<end />", "<end>", "<END/>",
        "<em>", "<b>", "<laugh>", "<imagex>", "< image>", "</ gif>", "</3", "<3", "a < b", "<", "/", ">",
        "<https://example.org>", "<ana@example.org>", "<e", "<end", "<end/", "<gi", "<delay", #"<delay hours="4"/"#,
        "hello ", "world", " ", "é", "🍜", "text with several words in it ", "\n", "\t",
    ]

    static func counted(_ text: [UInt8], quickly: Bool) -> ChatStats {
        var stats = ChatStats()
        text.withUnsafeBytes { raw in
            let bits = quickly ? stats.countTags(raw) : stats.scanTags(raw)
            stats.records = Int(bits)
        }
        return stats
    }

    @Test func agreesWithTheScanner() {
        var numbers = SeededNumbers(state: 20_261_203)
        func next(_ bound: Int) -> Int { numbers.next(bound) }
        var quick = 0
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<(1 + next(8)) {
                // Mostly well-formed tags and text, as in real chats.
                text += Self.pieces[next(4) == 0 ? next(Self.pieces.count) : [0, 1, 8, 9, 48, 49, 52][next(7)]]
            }
            let bytes = Array(text.utf8)
            let fast = Self.counted(bytes, quickly: true)
            let reference = Self.counted(bytes, quickly: false)
            #expect(fast == reference, "\(text.debugDescription)")
            if bytes.withUnsafeBytes({ WellFormedTags.read($0) }) != nil { quick += 1 }
        }
        #expect(quick > 2_000)
    }

    @Test func readsTheFormsOfRealChats() {
        for text in [
            "<image>Cat honestly do idea people of city</image>", "See you then, bye <end/>",
            #"<delay hours="6"/> sorry, I was out, <gif>waving</gif>"#, "a < b and then <3 and <end/>",
            "<audio>humming a song</audio> <video>a dog</video>",
        ] {
            let found = Array(text.utf8).withUnsafeBytes { WellFormedTags.read($0) }
            #expect(found != nil, "\(text)")
        }
        for text in ["<image>never closed, not here", "<IMAGE>upper case</IMAGE>", "short <end/>x"] {
            let found = Array(text.utf8).withUnsafeBytes { WellFormedTags.read($0) }
            #expect(found == nil || text.utf8.count < 16, "\(text)")
        }
    }
}
