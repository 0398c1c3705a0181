import Testing

@testable import SOCCore

@Suite struct PersonaBufferTests {
    static func persona(_ k: Int) -> String {
        #"{"name":"P\#(k)","username":\#(k % 3 == 0 ? "null" : "\"u\(k)\""),"age":\#(18 + k % 60),"traits":["t\#(k % 7)","t\#(k % 11)","calm"],"background":"\#(String(repeating: "b", count: k % 50))","chatting_style":"s","model":"m\#(k % 2)","id":"\#(k)"}"#
    }

    /// Parses a one-part chat between personas `a` and `b` (JSON objects) and hands it to `body`.
    static func withChat(
        _ parser: JSONParser, _ a: String, _ b: String, sender: String, _ body: (JSONDocument, ChatView) -> Void
    ) {
        withChat(
            parser,
            line:
                #"{"experience":{"persona1":\#(a),"persona2":\#(b)},"chat_parts":[{"sender":"\#(sender)","messages":["hi"]}]}"#,
            body)
    }

    /// Parses the chat `line` and hands it to `body` (records an issue if it is not a chat).
    static func withChat(_ parser: JSONParser, line: String, _ body: (JSONDocument, ChatView) -> Void) {
        var line = line
        line.withUTF8 { raw in
            guard case .success(let document) = parser.parse(UnsafeRawBufferPointer(raw)),
                case .success(let chat) = ChatView.of(document)
            else {
                Issue.record("fixture is not a chat")
                return
            }
            body(document, chat)
        }
    }

    /// Chats that reuse personas, more distinct ones than the buffer holds, counted through the
    /// buffer, give the figures of reading every appearance directly.
    @Test func bufferedCountsEqualDirectCounts() {
        let distinct = PersonaBuffer.limit + 700
        var chats = ChatStats()
        var direct = PersonaStats()
        let parser = JSONParser()
        for round in 0..<3 {
            for k in stride(from: round, to: distinct, by: 2) {
                let a = Self.persona(k)
                let b = Self.persona((k * 7 + 1) % distinct)
                Self.withChat(parser, a, b, sender: "\(k)") { document, chat in
                    chats.add(chat)
                    let experience = document.member(document.root, "experience")!
                    direct.add(document, persona: document.member(experience, "persona1")!)
                    direct.add(document, persona: document.member(experience, "persona2")!)
                }
            }
        }
        let buffered = chats.personas
        #expect(buffered.records == direct.records)
        #expect(buffered.age == direct.age)
        #expect(buffered.traits == direct.traits)
        #expect(buffered.traitsPerPersona == direct.traitsPerPersona)
        #expect(buffered.backgroundCharacters == direct.backgroundCharacters)
        #expect(buffered.usernameNull == direct.usernameNull)
        #expect(buffered.models == direct.models)
        #expect(buffered.ids.seen == direct.ids.seen)
        #expect(buffered.ids.distinct == direct.ids.distinct)
        #expect(StatsJSONWriter.persona(buffered) == StatsJSONWriter.persona(direct))
    }

    /// More distinct traits than the counter keeps (values are evicted, so the order of the
    /// additions matters): the buffer adds them object by object, as reading each appearance does.
    @Test func manyDistinctTraitsAreAddedInOrder() {
        var chats = ChatStats()
        var direct = PersonaStats()
        let parser = JSONParser()
        for k in 0..<600 {
            let a = #"{"traits":["a\#(k)","b\#(k % 300)"],"age":\#(k % 70),"id":"x\#(k)","model":"model-\#(k % 120)"}"#
            let b = #"{"traits":["c\#(k)","calm"],"age":\#(k % 30).5,"id":"y\#(k)","model":"m"}"#
            Self.withChat(parser, a, b, sender: "x\(k)") { document, chat in
                chats.add(chat, personaCache: PersonaFiguresCache())
                let experience = document.member(document.root, "experience")!
                direct.add(document, persona: document.member(experience, "persona1")!)
                direct.add(document, persona: document.member(experience, "persona2")!)
            }
        }
        let buffered = chats.personas
        #expect(!buffered.traits.exact)
        #expect(buffered == direct)
        #expect(StatsJSONWriter.persona(buffered) == StatsJSONWriter.persona(direct))
    }

    /// Chats counted through a worker's figure cache (personas met again, in other chats) give
    /// the figures of counting without it, escaped members and keys included.
    @Test func cachedFiguresEqualFiguresReadEachTime() {
        let cache = PersonaFiguresCache()
        var cached = ChatStats()
        var plain = ChatStats()
        let parser = JSONParser()
        for k in 0..<400 {
            let a = Self.persona(k % 37)
            let b =
                #"{"n\u0061me":"E","traits":["caf\u00e9","\ud83d\ude00 x"],"\u0061ge":30.5,"#
                + #""id":"i\n\#(k % 5)","background":"a\tb"}"#
            Self.withChat(parser, a, b, sender: "\(k)") { _, chat in
                cached.add(chat, personaCache: cache)
                plain.add(chat)
            }
        }
        #expect(cached.personas == plain.personas)
        #expect(StatsJSONWriter.persona(cached.personas) == StatsJSONWriter.persona(plain.personas))
    }
}

extension PersonaBufferTests {
    /// Chats counted through one worker's cache, with more distinct objects than the cache and
    /// the buffer hold, fractional ages and more traits than the counter keeps (so the order of
    /// additions matters), give the figures of counting without the cache.
    @Test func countsBySlotEqualCountsByBytes() {
        let cache = PersonaFiguresCache()
        var cached = ChatStats()
        var plain = ChatStats()
        let parser = JSONParser()
        let distinct = PersonaFiguresCache.limit + 900
        for k in 0..<(2 * distinct) {
            let j = (k * 7919) % distinct
            let a =
                #"{"traits":["t\#(j % 1500)","calm"],"age":\#(j % 70)\#(j % 3 == 0 ? ".5" : ""),"id":"\#(j)","model":"m\#(j % 130)"}"#
            let b = Self.persona(k % 41)
            Self.withChat(parser, a, b, sender: "\(j)") { _, chat in
                cached.add(chat, personaCache: cache)
                plain.add(chat)
            }
            // Units end now and then, as in the runner.
            if k % 5000 == 4999 {
                cached.flushPersonas()
                plain.flushPersonas()
            }
        }
        #expect(!cached.personas.traits.exact)
        #expect(cached.personas == plain.personas)
        #expect(StatsJSONWriter.persona(cached.personas) == StatsJSONWriter.persona(plain.personas))
    }
}

extension PersonaBufferTests {
    /// Figures added through `PendingPersonaValues` (single appearances held, repeated ones and
    /// fractional ages added at once) give the accumulators of adding each figure directly, in
    /// the same order: floating sums and sums past 64 bits included.
    @Test func pendingValuesEqualDirectAdditions() {
        let parser = JSONParser()
        var direct = PersonaStats()
        var batched = PersonaStats()
        var pending = PendingPersonaValues(capacity: 4)
        for k in 0..<500 {
            let age = k % 9 == 0 ? "\(k % 50).25" : k % 97 == 5 ? "\(Int.max / 3)" : "\(k % 80)"
            let line =
                #"{"age":\#(age),"traits":[\#(String(repeating: "\"t\",", count: k % 5))"x"],"background":"\#(String(repeating: "b", count: k % 13))","chatting_style":"s\#(k)","id":"\#(k % 40)"}"#
            var text = line
            text.withUTF8 { raw in
                guard case .success(let document) = parser.parse(UnsafeRawBufferPointer(raw)) else {
                    Issue.record("fixture is not JSON")
                    return
                }
                let figures = PersonaFigures(document, persona: document.root)
                let times = k % 7 == 0 ? 3 : 1
                figures.add(to: &direct, times: times, categories: false)
                figures.add(to: &batched, times: times, pending: &pending)
            }
        }
        pending.flush(into: &batched)
        #expect(batched == direct)
        #expect(!batched.age.integral)
        #expect(StatsJSONWriter.persona(batched) == StatsJSONWriter.persona(direct))
    }
}
