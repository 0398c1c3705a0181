import SOCTestSupport
import Testing

@testable import SOCCore

@Suite struct TextMeasureTests {
    static func measure(_ text: String) -> TextMeasure.Figures {
        var text = text
        return text.withUTF8 { TextMeasure.measure(UnsafeRawBufferPointer($0)) }
    }

    @Test func agreesWithTheByteWiseDefinition() {
        let samples = [
            "", " ", "one", "two words", "  leading and trailing  ", "tab\there\nnew line\r\nx",
            "Zoë and Élodie went to Osaka 🍜 — nice!", "<image>a cat</image> look",
            String(repeating: "ab cd ", count: 300),
            "no-angle-brackets-in-this-long-message-without-any-spaces-at-all-1234567890",
            "\u{1}control\u{2} bytes\u{7f}", "a<b", String(repeating: "é", count: 2100),
        ]
        for sample in samples {
            var copy = sample
            let (words, characters) = copy.withUTF8 { raw in
                (
                    ByteWiseMeasure.words(UnsafeRawBufferPointer(raw)),
                    ByteWiseMeasure.characters(UnsafeRawBufferPointer(raw))
                )
            }
            let figures = Self.measure(sample)
            #expect(figures.words == words, "words of \(sample.debugDescription)")
            #expect(figures.characters == characters, "characters of \(sample.debugDescription)")
            #expect(figures.characters == sample.unicodeScalars.count)
            #expect(figures.hasAngleBracket == sample.contains("<"))
        }
    }
}

/// The scanner as soc-stats reads it: opening tags by name, and the delay of a well-formed one.
@Suite struct TagScannerCountTests {
    static func tags(_ text: String) -> [(ChatTag, Double?)] {
        var found: [(ChatTag, Double?)] = []
        var text = text
        text.withUTF8 {
            TagScanner.scan(UnsafeRawBufferPointer($0)) {
                if $0.role == .opening { found.append(($0.name, $0.delayMinutes)) }
            }
        }
        return found
    }

    static func illFormed(_ text: String) -> Int {
        var n = 0
        var text = text
        text.withUTF8 { TagScanner.scan(UnsafeRawBufferPointer($0)) { if $0.problem != nil { n += 1 } } }
        return n
    }

    @Test func textThatIsNotATag() {
        for text in [
            "I <3 you", "if a < b then", "-> next", "see <https://example.org>", "mail <me@example.org>", "< end/>",
        ] {
            #expect(Self.tags(text).isEmpty, "\(text)")
            #expect(Self.illFormed(text) == 0, "\(text)")
        }
        // A closing tag is not counted by name; one that closes nothing is ill-formed.
        #expect(Self.tags("</image>").isEmpty)
        #expect(Self.illFormed("</image>") == 1)
    }

    @Test func knownTags() {
        #expect(Self.tags("<image>a sunset</image> look at this").map(\.0) == [.image])
        #expect(Self.tags("<gif>thumbs up</gif>").map(\.0) == [.gif])
        #expect(Self.tags("<audio>humming</audio>").map(\.0) == [.audio])
        #expect(Self.tags("<video>a dog</video>").map(\.0) == [.video])
        #expect(Self.tags("bye <end/>").map(\.0) == [.end])
        #expect(Self.tags("bye <end />").map(\.0) == [.end])
        #expect(Self.illFormed("a <image>x</image> b <gif>y</gif> <end/>") == 0)
        // Counted by name without regard to case, and reported as ill-formed.
        #expect(Self.tags("<IMAGE>x</IMAGE>").map(\.0) == [.image])
        #expect(Self.illFormed("<IMAGE>x</IMAGE>") == 2)
        #expect(Self.tags("<laugh> ok <sticker/>").map(\.0) == [.unknown, .unknown])
        #expect(Self.tags("a <image>x</image> b <gif>y</gif> <end/>").map(\.0) == [.image, .gif, .end])
        // Unclosed known tags are ill-formed tags of their name.
        #expect(Self.tags("<image").map(\.0) == [.image])
        #expect(Self.illFormed("x <end/ y") == 1)
    }

    @Test func delayMinutesAddUp() {
        let found = Self.tags(#"<delay minutes="30" hours="6" days="1"/> sorry"#)
        #expect(found.count == 1)
        #expect(found[0].0 == .delay)
        #expect(found[0].1 == Double(30 + 6 * 60 + 1440))
        #expect(Self.tags(#"<delay hours="2"/>"#)[0].1 == 120)
        #expect(Self.tags("<delay/>")[0].1 == nil)
        // An ill-formed delay is counted, but gives no minutes.
        #expect(Self.tags("<delay minutes=5/>")[0].1 == nil)
        #expect(Self.illFormed("<delay minutes=5/>") == 1)
    }
}

@Suite struct CategoryCounterTests {
    @Test func exactWithinCapacity() {
        var c = CategoryCounter(capacity: 10)
        for word in ["a", "b", "a", "c", "a", "b"] { c.add(word) }
        #expect(c.exact)
        #expect(c.total == 6)
        #expect(c.sorted.map(\.value) == ["a", "b", "c"])
        #expect(c.sorted.map(\.count) == [3, 2, 1])
    }

    @Test func boundedAndKeepsHeavyHitters() {
        var c = CategoryCounter(capacity: 8)
        for k in 0..<1_000 {
            c.add("heavy")
            c.add("rare\(k)")
        }
        #expect(!c.exact)
        #expect(c.entries.count == 8)
        // The distinct count stays exact past the kept values (an exact hash set).
        #expect(c.distinct == 1_001)
        #expect(c.distinctIsExact)
        #expect(c.total == 2_000)
        let heavy = c.sorted.first!
        #expect(heavy.value == "heavy")
        #expect(heavy.count - heavy.error <= 1_000 && heavy.count >= 1_000)
    }

    @Test func mergeAddsCounts() {
        var a = CategoryCounter()
        var b = CategoryCounter()
        a.add("x")
        a.add("y")
        b.add("x")
        b.add("z")
        a.merge(b)
        #expect(a.entries["x"]?.count == 2)
        #expect(a.total == 4)
        #expect(a.exact)
    }
}

@Suite struct DistinctCounterTests {
    @Test func exactThenEstimated() {
        var exact = DistinctCounter()
        var small = DistinctCounter(exactLimit: 100)
        for k in 0..<5_000 {
            var id = "persona-\(k % 2_500)"
            id.withUTF8 {
                exact.add(UnsafeRawBufferPointer($0))
                small.add(UnsafeRawBufferPointer($0))
            }
        }
        #expect(exact.isExact && exact.distinct == 2_500)
        #expect(!small.isExact)
        #expect(abs(small.distinct - 2_500) < 150)
    }
}

@Suite struct TextMeasureFuzzTests {
    /// Random byte strings (blanks, control bytes, `<`, multi-byte UTF-8, long runs) of every
    /// length up to 300: the vector, SWAR and byte-wise paths must agree with the byte-wise definition.
    @Test func agreesOnRandomText() {
        let pieces: [[UInt8]] = [
            [0x20], [0x09], [0x0A], [0x0D], [0x0B], [0x0C], [0x01], [0x1F], [0x3C], [0x3E], [0x61], [0x62],
            Array("é".utf8), Array("—".utf8), Array("🍜".utf8), Array("word".utf8), [0x7F], [0x08], [0x0E],
        ]
        var numbers = SeededNumbers(state: 12345)
        func next(_ bound: Int) -> Int { numbers.next(bound) }
        for length in 0..<300 {
            for _ in 0..<4 {
                var bytes: [UInt8] = []
                while bytes.count < length { bytes += pieces[next(pieces.count)] }
                bytes.withUnsafeBytes { raw in
                    let figures = TextMeasure.measure(raw)
                    #expect(figures.words == ByteWiseMeasure.words(raw), "words, length \(bytes.count): \(bytes)")
                    #expect(figures.characters == ByteWiseMeasure.characters(raw), "characters, length \(bytes.count)")
                    #expect(figures.hasAngleBracket == bytes.contains(0x3C))
                }
            }
        }
    }
}

extension TextMeasureFuzzTests {
    /// Texts long enough for the byte lanes to be summed on the way (every 253 blocks), with a
    /// word start or a continuation byte in the same lanes of every block.
    @Test func agreesOnLongText() {
        let texts = [
            String(repeating: "a ", count: 5000), String(repeating: "é", count: 4100),
            String(repeating: "ab é ", count: 2000), String(repeating: "x", count: 8200),
        ]
        for text in texts {
            let bytes = Array(text.utf8)
            for length in [4047, 4048, 4049, 4063, 4064, 4065, 4080, 4096, 4097, 8100, bytes.count] {
                let prefix = Array(bytes.prefix(length))
                prefix.withUnsafeBytes { raw in
                    let figures = TextMeasure.measure(raw)
                    #expect(figures.words == ByteWiseMeasure.words(raw), "words, length \(prefix.count)")
                    #expect(figures.characters == ByteWiseMeasure.characters(raw), "characters, length \(prefix.count)")
                }
            }
        }
    }
}

/// The definitions `TextMeasure` computes fast, written out byte by byte: the oracle of its tests.
enum ByteWiseMeasure {
    /// Unicode scalars in valid UTF-8: bytes that are not continuation bytes.
    static func characters(_ bytes: UnsafeRawBufferPointer) -> Int {
        bytes.reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) }
    }

    /// Maximal runs of bytes that are not ASCII white space (like `wc -w`).
    static func words(_ bytes: UnsafeRawBufferPointer) -> Int {
        var n = 0
        var inWord = false
        for byte in bytes {
            let space = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
            if !space && !inWord { n += 1 }
            inWord = !space
        }
        return n
    }
}
