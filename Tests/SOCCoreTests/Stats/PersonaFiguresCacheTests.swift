import Testing

@testable import SOCCore

@Suite struct PersonaFiguresCacheTests {
    /// The table numbers strings in the order first added, finds them again by hash and bytes,
    /// grows past its first size, and adds nothing once full or for another string of a hash.
    @Test func byteStringTableNumbersStrings() {
        let table = ByteStringTable(limit: 300)
        func find(_ text: String, hash: UInt64? = nil) -> ByteStringTable.Lookup {
            var text = text
            return text.withUTF8 { utf8 in
                let bytes = UnsafeRawBufferPointer(utf8)
                return table.find(orAdd: bytes, hash: hash ?? XXH3.hash64(bytes))
            }
        }
        for k in 0..<300 {
            guard case .added(let number) = find("name \(k)") else {
                Issue.record("name \(k) not added")
                return
            }
            #expect(number == k)
        }
        for k in 0..<300 {
            guard case .found(let number) = find("name \(k)") else {
                Issue.record("name \(k) not found")
                return
            }
            #expect(number == k)
        }
        #expect(table.count == 300)
        guard case .unavailable = find("one more") else {
            Issue.record("added past the limit")
            return
        }
        var hash: UInt64 = 0
        var text = "name 7"
        text.withUTF8 { hash = XXH3.hash64(UnsafeRawBufferPointer($0)) }
        guard case .unavailable = find("not name 7", hash: hash) else {
            Issue.record("another string of the same hash was taken for it")
            return
        }
        let empty = ByteStringTable(limit: 4)
        guard case .added(0) = empty.find(orAdd: UnsafeRawBufferPointer(start: nil, count: 0), hash: 1),
            case .found(0) = empty.find(orAdd: UnsafeRawBufferPointer(start: nil, count: 0), hash: 1)
        else {
            Issue.record("the empty string is not numbered")
            return
        }
    }

    /// Objects read through the cache keep their figures, and equal names (however escaped) get
    /// one number.
    @Test func cacheNumbersTraitAndModelNames() {
        let cache = PersonaFiguresCache()
        let parser = JSONParser()
        let lines = [
            #"{"traits":["caf\u00e9","calm"],"model":"m","id":"1"}"#,
            #"{"traits":["café","calm","x"],"model":"m","id":"2"}"#,
            #"{"traits":"none","id":"3"}"#,
        ]
        var slots: [Int] = []
        for line in lines {
            ChatScratchTests.withDocument(parser, line) { document in
                let bytes = document.raw(document.root)
                let slot = cache.slot(document, persona: document.root, bytes: bytes, hash: XXH3.hash64(bytes))
                #expect(slot != nil)
                if let slot {
                    #expect(cache.figures(at: slot) == PersonaFigures(document, persona: document.root))
                    slots.append(slot)
                }
            }
        }
        #expect(slots == [0, 1, 2])
        #expect(Array(cache.traitIDs(at: 0)) == [0, 1])
        #expect(Array(cache.traitIDs(at: 1)) == [0, 1, 3])
        #expect(cache.traitIDs(at: 2).isEmpty)
        #expect(cache.modelID(at: 0) == 2 && cache.modelID(at: 1) == 2 && cache.modelID(at: 2) == -1)
        #expect(cache.name(0) == "café" && cache.name(2) == "m" && cache.name(3) == "x")
        #expect(cache.isFullyNamed(0) && cache.isFullyNamed(2))
    }

    /// Names are numbered where they lie (`numberedName`): for every object, its figures equal
    /// reading it directly, and its numbers name its traits and model, with non-string traits
    /// and models, a model named like a trait, lone surrogates and escapes of either spelling.
    @Test func numberedNamesAreTheFiguresNames() {
        let cache = PersonaFiguresCache()
        let parser = JSONParser()
        let lines = [
            #"{"traits":["a",1,null,"\ud800","b"],"model":"a"}"#,
            #"{"traits":["\u0061","\ufffd","\ud800x"],"model":7}"#,
            #"{"traits":[],"model":"\ufffd","traits":["b","b","a"]}"#,
            #"{"model":"m\n"}"#,
        ]
        for line in lines {
            ChatScratchTests.withDocument(parser, line) { document in
                let bytes = document.raw(document.root)
                guard let slot = cache.slot(document, persona: document.root, bytes: bytes, hash: XXH3.hash64(bytes))
                else {
                    Issue.record("no slot")
                    return
                }
                let figures = cache.figures(at: slot)
                #expect(figures == PersonaFigures(document, persona: document.root))
                #expect(cache.traitIDs(at: slot).map { cache.name($0) } == figures.traits)
                let model = cache.modelID(at: slot)
                #expect((model >= 0 ? cache.name(model) : nil) == figures.model)
                #expect(cache.isFullyNamed(slot))
            }
        }
    }
}
