import SOCTestSupport
import Testing

@testable import SOCCore

/// The fingerprinter reads a SOC chat's messages as `ChatView.of` finds each part's `messages`
/// array: the text is every string of every message in order, and a chat that fails the view
/// part way has no text at all (the parts read before the failing one are forgotten).
@Suite struct FingerprinterTests {
    /// The fingerprint of `line` by a fresh fingerprinter with the default settings.
    static func fingerprint(_ line: String) throws -> RecordFingerprint {
        try withDocument(line) { Fingerprinter(settings: DedupSettings()).fingerprint($0) }
    }

    /// The fingerprint of a record whose text is `strings`, as a persona (its text paths).
    static func textFingerprint(_ strings: [String]) throws -> RecordFingerprint {
        var quoted: [String] = []
        for string in strings {
            var bytes: [UInt8] = []
            JSONString.appendQuoted(string, asciiOnly: false, to: &bytes)
            quoted.append(String(decoding: bytes, as: UTF8.self))
        }
        var settings = DedupSettings()
        settings.text = [try RecordPath("t[*]")]
        let line = #"{"t":["# + quoted.joined(separator: ",") + "]}"
        return try withDocument(line) { Fingerprinter(settings: settings).fingerprint($0) }
    }

    @Test func aChatsTextIsEveryMessageStringInOrder() throws {
        let line =
            #"{"chat_id":"c","chat_parts":[{"sender":"a","messages":["Hello there, friend.","Caf\u00e9 \ud83d\ude00 time"]},"#
            + #"{"messages":[["nested","list"],{"k":"object value"}],"sender":"b"},{"sender":"a","messages":[]},"#
            + #"{"sender":"b","messages":["last one"]}]}"#
        let chat = try Self.fingerprint(line)
        let plain = try Self.textFingerprint([
            "Hello there, friend.", "Café 😀 time", "nested", "list", "object value", "last one",
        ])
        #expect(chat.textHash != nil)
        #expect(chat.textHash == plain.textHash)
        #expect(chat.signature == plain.signature)
    }

    /// A part whose messages are all strings is read as one text (`appendMessages`), with the
    /// separators a JSON writer puts between them; one with other values, element by element.
    @Test func aPartsStringsReadTogetherGiveTheTextOfEach() throws {
        // As JSON content: escaped, and as it is (but for the quote, which JSON escapes).
        let escaped = [
            #"Hi there, friend."#, #"Caf\u00e9 \ud83d\ude00"#, #"\"quoted\" end"#, "", #"tail \ud83d\ude00"#,
        ]
        let raw = [#"Hi there, friend."#, "Café 😀", #"\"quoted\" end"#, "", "tail 😀"]
        let text = ["Hi there, friend.", "Café 😀", "\"quoted\" end", "", "tail 😀", "one", "three"]
        for separator in [", ", ",", " , ", ",\t"] {
            for contents in [escaped, raw] {
                let list = contents.map { "\"" + $0 + "\"" }.joined(separator: separator)
                let line =
                    #"{"chat_parts":[{"sender":"a","messages":["# + list + #"]},"#
                    + #"{"sender":"b","messages":["one", 2, "three"]}]}"#
                let chat = try Self.fingerprint(line)
                let each = try Self.textFingerprint(text)
                #expect(chat.textHash != nil)
                #expect(chat.textHash == each.textHash, "\(line)")
                #expect(chat.signature == each.signature)
            }
        }
    }

    @Test func aChatThatFailsPartWayHasNoText() throws {
        let settings = DedupSettings()
        let fingerprinter = Fingerprinter(settings: settings)
        let broken = [
            #"{"chat_parts":[{"sender":"a","messages":["some words here"]},{"sender":"b"}]}"#,
            #"{"chat_parts":[{"sender":"a","messages":["some words here"]},{"sender":"b","messages":"not a list"}]}"#,
            #"{"chat_parts":[{"sender":"a","messages":["some words here"]},7]}"#,
        ]
        for line in broken {
            let result = try withDocument(line) { fingerprinter.fingerprint($0) }
            #expect(result.textHash == nil && result.signature.isEmpty, "\(line)")
        }
        #expect(fingerprinter.recordsWithoutText == broken.count)
        // The next record's text holds none of the failed chats' words.
        let good = #"{"chat_parts":[{"sender":"a","messages":["other words entirely"]}]}"#
        let after = try withDocument(good) { fingerprinter.fingerprint($0) }
        #expect(after == (try Self.fingerprint(good)))
        #expect(after.textHash == (try Self.textFingerprint(["other words entirely"])).textHash)
    }

    /// A part of up to four messages is checked for strings four tape entries at a time, the
    /// entries past the array masked (`appendMessages`): a value that is not a string, at any
    /// place, keeps the part out of the joined text (its digits are no token of the chat's),
    /// with values that are not strings after the array or not.
    @Test func aPartOfUpToFourMessagesWithANonStringIsReadElementByElement() throws {
        for count in 1...4 {
            for place in 0..<count {
                var values = (0..<count).map { #""word\#($0) text""# }
                values[place] = "\(place + 7)"
                let line =
                    #"{"chat_parts":[{"sender":"a","messages":["# + values.joined(separator: ", ")
                    + #"],"n":5,"m":[1,2]},{"sender":"b","messages":["closing words here"]}]}"#
                var text = (0..<count).filter { $0 != place }.map { "word\($0) text" }
                text.append("closing words here")
                let chat = try Self.fingerprint(line)
                #expect(chat.textHash == (try Self.textFingerprint(text)).textHash, "\(line)")
            }
            // All strings, followed by values that are not: one text.
            let strings = (0..<count).map { #""word\#($0) text""# }
            let line =
                #"{"chat_parts":[{"sender":"a","messages":["# + strings.joined(separator: ", ")
                + #"],"n":5,"m":[1,2]}]}"#
            let text = (0..<count).map { "word\($0) text" }
            #expect(try Self.fingerprint(line).textHash == (try Self.textFingerprint(text)).textHash, "\(line)")
        }
    }
}
