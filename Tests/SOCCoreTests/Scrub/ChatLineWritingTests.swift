import SOCTestSupport
import Testing

@testable import SOCCore

/// The line writers of `ChatRebuild` (`RawByteWriter`, `ChangeWriter`, `SplicedChatLine`,
/// `RebuiltChatLine`) write what the appending code wrote, within the room they reserve.
@Suite struct ChatLineWritingTests {
    /// The four-byte stand-in of lone-surrogate escape `k` (`EscapedText`).
    static func standIn(_ k: Int) -> [UInt8] {
        let scalar = EscapedText.base + UInt32(k)
        return [
            UInt8(0xF0 | scalar >> 18), UInt8(0x80 | scalar >> 12 & 0x3F), UInt8(0x80 | scalar >> 6 & 0x3F),
            UInt8(0x80 | scalar & 0x3F),
        ]
    }

    /// `RawByteWriter.string` writes what `JSONSplice.appendString(_:asciiOnly:escapes:to:)`
    /// appends, stand-ins or not, in no more than `6 * count + 14` bytes.
    @Test func stringMatchesAppendString() {
        var random = SeededNumbers(state: 91)
        let escapes: [[UInt8]] = [Array(#"\ud83d"#.utf8), Array(#"\uDC00"#.utf8)]
        for _ in 0..<2000 {
            var text: [UInt8] = []
            for _ in 0..<random.next(4) {
                text += JSONSpliceTests.randomText(&random)
                if random.next(2) == 0 { text += Self.standIn(random.next(2)) }
            }
            for asciiOnly in [false, true] {
                for withEscapes in [false, true] {
                    let used = withEscapes ? escapes : []
                    var expected: [UInt8] = []
                    JSONSplice.appendString(text, asciiOnly: asciiOnly, escapes: used, to: &expected)
                    let room = 6 * text.count + 14
                    let written = [UInt8](unsafeUninitializedCapacity: room) { buffer, count in
                        var out = RawByteWriter(UnsafeMutableRawPointer(buffer.baseAddress!))
                        text.withUnsafeBytes { out.string($0, asciiOnly: asciiOnly, escapes: used) }
                        count = out.count
                    }
                    #expect(written == expected, "\(String(decoding: text, as: UTF8.self).debugDescription)")
                }
            }
        }
    }

    /// `RawByteWriter`'s plain writes: bytes and copies, one after another.
    @Test func bytesAndCopiesFollowEachOther() {
        let written = [UInt8](unsafeUninitializedCapacity: 16) { buffer, count in
            var out = RawByteWriter(UnsafeMutableRawPointer(buffer.baseAddress!))
            out.byte(1)
            [UInt8]([2, 3, 4]).withUnsafeBytes { out.copy($0) }
            out.copy(UnsafeRawBufferPointer(start: nil, count: 0))
            out.byte(5)
            count = out.count
        }
        #expect(written == [1, 2, 3, 4, 5])
    }

    static let line =
        #"{"id": 1, "chat_parts": [{"sender": "a", "messages": ["A: one", "two", "three"]}, {"sender": "b", "messages": ["four"]}, {"sender": "a", "messages": ["five"]}, {"sender": "b", "messages": ["six"]}]}"#

    /// The parts of `line`, as `ChatView.of` gives them.
    static func parts(_ document: JSONDocument) -> [(part: Int, messages: Int)] {
        let chat = document.member(document.root, "chat_parts")!
        return document.elements(chat).map { ($0, document.member($0, "messages")!) }
    }

    /// A change of message `message` of part `part` into `pieces`, or into its bytes `kept`.
    static func change(
        _ document: JSONDocument, _ parts: [(part: Int, messages: Int)], _ part: Int, _ message: Int,
        _ pieces: [String], kept: Range<Int>? = nil, plain: Bool = false
    ) -> MessageChange {
        let element = Array(document.elements(parts[part].messages))[message]
        var steps = ScrubSteps()
        steps.append(0)
        return MessageChange(
            part: part, message: message, element: element,
            outcome: ScrubOutcome(pieces: ScrubPieces(pieces.map { Array($0.utf8) }), changes: [], steps: steps),
            escapes: [], kept: kept, plain: plain)
    }

    /// What `line` becomes for `changes` (made from its document), written by `Line` into an
    /// array holding exactly its room beyond what was there.
    static func written(_ changes: (JSONDocument, [(part: Int, messages: Int)]) -> [MessageChange]) throws -> String? {
        try withDocument(line) { document in
            let parts = Self.parts(document)
            let made = changes(document, parts)
            // The line borrows the arrays, as `ChatRebuild` lends them.
            return made.withUnsafeBufferPointer { made in
                parts.withUnsafeBufferPointer { parts -> String? in
                    guard
                        let spliced = SplicedChatLine(document: document, changes: made, parts: parts, asciiOnly: false)
                    else { return nil }
                    var bytes: [UInt8] = [9]
                    bytes.reserveCapacity(1 + spliced.room)
                    bytes.append(contentsOf: spliced)
                    #expect(bytes.first == 9 && bytes.count - 1 <= spliced.room)
                    return String(decoding: bytes.dropFirst(), as: UTF8.self)
                }
            }
        }
    }

    @Test func splicedLineReplacesKeepsSplitsAndDrops() throws {
        // A label cut off (the bytes kept), a string replaced, a split and a dropped message.
        let got = try Self.written { document, parts in
            let first = Array(document.elements(parts[0].messages))[0]
            let start = document.span(first).lowerBound + 1
            return [
                Self.change(document, parts, 0, 0, [], kept: (start + 3)..<(start + 6)),
                Self.change(document, parts, 0, 1, ["2", "two"]),
                Self.change(document, parts, 0, 2, []),
                Self.change(document, parts, 1, 0, ["4 \"quoted\""]),
            ]
        }
        #expect(
            got
                == #"{"id": 1, "chat_parts": [{"sender": "a", "messages": ["one", "2", "two"]}, {"sender": "b", "messages": ["4 \"quoted\""]}, {"sender": "a", "messages": ["five"]}, {"sender": "b", "messages": ["six"]}]}"#
        )
        // A part left without messages: no line (the general path takes it).
        #expect(try Self.written { document, parts in [Self.change(document, parts, 1, 0, [])] } == nil)
    }

    /// A plain change's pieces are copied as they are, within the room of their bytes and
    /// quotes; another's are escaped.
    @Test func plainPiecesAreCopied() throws {
        try withDocument(Self.line) { document in
            let parts = Self.parts(document)
            let plain = Self.change(document, parts, 0, 1, ["t\u{e9}", "o"], plain: true)
            let escaped = Self.change(document, parts, 1, 0, ["f\u{e9}"])
            #expect(plain.room == 3 + 1 + 2 * 2 && plain.pieceCount == 2)
            #expect(escaped.room == 6 * 3 + 14 && escaped.pieceCount == 1)
            let written = [plain, escaped].withUnsafeBufferPointer { changes in
                let writer = ChangeWriter(document: document, changes: changes, asciiOnly: true)
                return [UInt8](unsafeUninitializedCapacity: 64) { buffer, count in
                    var out = RawByteWriter(UnsafeMutableRawPointer(buffer.baseAddress!))
                    writer.piece(0, 0, to: &out)
                    writer.piece(0, 1, to: &out)
                    writer.piece(1, 0, to: &out)
                    count = out.count
                }
            }
            #expect(String(decoding: written, as: UTF8.self) == "\"t\u{e9}\"\"o\"\"f\\u00e9\"")
        }
    }

    /// Replacements whose literals a JSON string holds as they are, and others.
    @Test func plainReplacements() throws {
        for (text, plain) in [
            ("", true), ("$2 <end/>", true), ("{break}$0{break}", true), ("[removed]", true), ("a\"b", false),
            ("a\\b", false), ("caf\u{e9}", false), ("tab\t", false),
        ] {
            #expect(try ReplacementTemplate(text, captureCount: 2).writesPlainBytes == plain, "\(text)")
        }
        #expect(try ScrubEngine(RuleSet.defaults()).messageScrubber.literalsArePlain)
    }

    /// `RebuiltChatLine` (through `ChatRebuild`): a part left without messages is dropped and
    /// the parts around it, one sender's, are merged, within the room reserved.
    @Test func rebuiltLineDropsAndMerges() throws {
        let got: String = try withDocument(Self.line) { document in
            let parts = Self.parts(document)
            let changes = [Self.change(document, parts, 0, 1, ["2"]), Self.change(document, parts, 1, 0, [])]
            var output: [UInt8] = Array("x\n".utf8)
            var rebuild = ChatRebuild(document: document, parts: parts, asciiOnly: false)
            let result = rebuild.build(
                changes, chatParts: document.member(document.root, "chat_parts")!, appendingTo: &output)
            guard case .written = result else { return "not written" }
            #expect(rebuild.steps.map(\.part) == [1, 2])
            #expect(Array(output[..<2]) == Array("x\n".utf8))
            return String(decoding: output[2...], as: UTF8.self)
        }
        #expect(
            got
                == #"{"id": 1, "chat_parts": [{"sender": "a", "messages": ["A: one", "2", "three", "five"]}, {"sender": "b", "messages": ["six"]}]}"#
        )
    }
}
