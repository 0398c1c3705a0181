import SOCTestSupport
import Testing

@testable import SOCCore

/// `ChatStats.addSOCParts` (the tape walk of SOC chats) against the general walk it replaces
/// for SOC chats (`generalWalk: true`): the same figures for random chats of every shape.
@Suite struct ChatStatsSOCPartsTests {
    /// Messages: plain, escaped, blank (spaces, escaped blanks, U+200B), tagged (well-formed,
    /// ill-formed, `<end/>` with blanks after it, an escaped `\u003c`), empty, and values that
    /// are not strings.
    static let messages: [String] = [
        #""hello there""#, #""a\nb \u00e9\ud83d\ude00 c""#, #""   ""#, #""\u0020\t""#, #""\u200b""#,
        "\"\u{200B}\"", #""""#, #""<image>cat</image> look""#, #""<IMAGE>x""#, #""bye <end/>  ""#,
        #""bye <end/>\n""#, #""\u003cend/>""#, #""<delay minutes=\"5\"/> ok""#, #""a < b""#,
        #""é starts wide""#, #""\u00e9 escaped wide""#, "7", "null", #"{"text":"x"}"#, #"["y"]"#,
        #""a long message that takes more than one sixteen byte block to measure, twice over, 🍜""#,
    ]

    /// Senders: the personas' ids (plain and escaped), another id, non-strings, and none.
    static let senders: [String?] = [
        #""aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa""#, #""bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb""#,
        #""\u0061aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa""#, #""cccc""#, #""a""#, "12", "null", nil,
    ]

    /// One random part: its sender and messages, sometimes with keys repeated, escaped, in
    /// another order, or with `messages` not an array; now and then not an object.
    static func part(_ next: (Int) -> Int) -> String {
        // A part that is not an object (only a lenient view takes it).
        if next(40) == 0 { return ["7", "null", #"["x"]"#, #""part""#][next(4)] }
        let count = next(5)
        let list = "[" + (0..<count).map { _ in messages[next(messages.count)] }.joined(separator: ",") + "]"
        var members: [String] = []
        if let sender = senders[next(senders.count)] { members.append(#""sender":\#(sender)"#) }
        switch next(12) {
        case 0: members.append(#""messages":"not a list""#)
        case 1: members.append(#""m\u0065ssages":\#(list)"#)
        case 2: members += [#""messages":["first"]"#, #""messages":\#(list)"#]
        case 3: members.append(#""extra":1,"messages":\#(list)"#)
        case 4: break
        default: members.append(#""messages":\#(list)"#)
        }
        if next(4) == 0 { members.reverse() }
        if next(10) == 0 { members.append(#""senders":"x","messagez":[]"#) }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// A random SOC chat line, persona ids plain or escaped.
    static func chat(_ next: (Int) -> Int) -> String {
        let parts = (0..<next(9)).map { _ in part(next) }
        let id1 = next(4) == 0 ? #""\u0061aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa""# : #""aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa""#
        let persona2 = next(5) == 0 ? "" : #","persona2":{"id":"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"}"#
        return
            #"{"model":"m","experience":{"persona1":{"id":\#(id1)}\#(persona2)},"chat_parts":[\#(parts.joined(separator: ","))]}"#
    }

    @Test func tapeWalkEqualsGeneralWalk() {
        var numbers = SeededNumbers(state: 20_261_202)
        func next(_ bound: Int) -> Int { numbers.next(bound) }
        var fast = ChatStats()
        var general = ChatStats()
        var fastLenient = ChatStats()
        var generalLenient = ChatStats()
        let parser = JSONParser()
        var chats = 0
        for _ in 0..<3000 {
            ChatScratchTests.withDocument(parser, Self.chat(next)) { document in
                if case .success(let chat) = ChatView.of(document) {
                    var one = ChatStats()
                    var reference = ChatStats()
                    one.add(chat, personaCache: nil)
                    reference.add(chat, personaCache: nil, generalWalk: true)
                    #expect(one == reference, "\(String(decoding: document.bytes, as: UTF8.self))")
                    fast.add(chat, personaCache: nil)
                    general.add(chat, personaCache: nil, generalWalk: true)
                    chats += 1
                }
                // A lenient view (parts without a messages array too).
                if let chat = ChatView.lenient(document) {
                    fastLenient.add(chat, personaCache: nil)
                    generalLenient.add(chat, personaCache: nil, generalWalk: true)
                }
            }
        }
        #expect(chats > 500)
        #expect(fast.blankMessages > 0 && fast.endAtEndChats > 0 && fast.endInLastPartChats > 0)
        #expect(fast.persona1Messages > 0 && fast.persona2Messages > 0 && fast.otherSenderMessages > 0)
        #expect(fast == general)
        #expect(fastLenient == generalLenient)
        var a = StatsDocument()
        var b = StatsDocument()
        a.chats = fastLenient
        b.chats = generalLenient
        #expect(StatsJSONWriter.json(a).prettyPrinted() == StatsJSONWriter.json(b).prettyPrinted())
    }
}

/// `ChatTally.sender`, which compares a plain sender with the persona that did not send the
/// turn before first, against the order it replaces (persona1's id, then persona2's): the same
/// `who` for random sender sequences, ids equal or not, plain or escaped, missing or not strings.
@Suite struct ChatTallySenderTests {
    static let ids: [String] = [
        #""aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa""#, #""bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb""#,
        #""\u0061aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa""#, #""cccc""#, "12", "null",
    ]

    @Test func guessAgreesWithTheOrder() {
        var numbers = SeededNumbers(state: 20_261_204)
        func next(_ bound: Int) -> Int { numbers.next(bound) }
        let parser = JSONParser()
        var guessed = 0
        for _ in 0..<2_000 {
            let id1 = Self.ids[next(4)]
            let id2 = next(6) == 0 ? id1 : Self.ids[next(Self.ids.count)]
            // Mostly alternating senders, as real chats have them.
            var senders: [String] = []
            for k in 0..<(1 + next(12)) {
                senders.append(next(5) == 0 ? Self.ids[next(Self.ids.count)] : (k % 2 == 0 ? id1 : id2))
            }
            let line = #"{"p1":\#(id1),"p2":\#(id2),"s":[\#(senders.joined(separator: ","))]}"#
            ChatScratchTests.withDocument(parser, line) { document in
                let root = document.root
                let persona1 = document.member(root, "p1")
                let persona2 = document.member(root, "p2")
                let figures = UnsafeMutablePointer<Int>.allocate(capacity: 3 * document.nodes.count)
                defer { figures.deallocate() }
                var tally = ChatTally(
                    figures: figures, bound: document.nodes.count, document: document, persona1ID: persona1,
                    persona2ID: persona2)
                if tally.idsDiffer { guessed += 1 }
                for sender in document.elements(document.member(root, "s")!) {
                    let who = tally.sender(document, sender, raw: document.raw(sender))
                    let expected =
                        persona1.map { ChatStats.same(document, sender, $0) } == true
                        ? 1 : persona2.map { ChatStats.same(document, sender, $0) } == true ? 2 : 0
                    #expect(who == expected, "\(line)")
                }
            }
        }
        #expect(guessed > 300)
    }
}
