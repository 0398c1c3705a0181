import Testing

@testable import SOCCore

/// An escaped message left as its text from some character to the end is written from the
/// record's bytes when each of its escapes would be written back as it is
/// (`ScrubStage.keptEscaped`), against the general path (texts kept: every piece
/// escaped again): the same records written and the same counts, whatever the escapes' style.
@Suite struct EscapedKeepingTests {
    /// Labelled messages whose text after the label is escaped in every style: as `json.dumps`
    /// writes it, and as it does not (upper-case hex, `\/`, `\u` for ASCII, short escapes
    /// written long, lone surrogates, a pair in capitals), trimmed at the end or not.
    static let messages = [
        #""Elias: caf\u00e9""#, #""Elias: caf\u00E9""#, #""Elias: a\/b""#, #""Elias: \u0041BC""#,
        #""Elias: x\u000ay""#, #""Elias: x\ny""#, #""Elias: tab\there""#, #""Elias: vt\u000bhere""#,
        #""Elias: del\u007f""#, #""Elias: lone \ud800 x""#, #""Elias: pair \ud83d\ude00""#,
        #""Elias: pair \uD83D\uDE00""#, #""Elias: end\u00a0""#, #""Elias: quote \" and \\ back""#,
        #""Ilg\u0131n: \u00e7ay""#, #""Ilg\u0131n \u015eah\u0131n:   \u00e7ay \u2615""#, #""\u0130lg\u0131n: x""#,
        #""Elias:\u00a0nbsp""#, #""Elias: one\nIlg\u0131n: two""#, #""**Elias**: b\u00f6ld""#,
        #""Elias: <image>sun</image> caf\u00e9""#, #""Elias: \u00e9""#, #""Elias:  \u00e9 ""#,
        #""Elias: \u0000nul""#, #""\u0045lias: cap""#, #""Elias\u003a colon""#, #""Elias: esc\/aped \u00e9""#,
        #""Elias: caf\u00e9\ud83d""#,
    ]

    /// Each message in an escaped record (no raw non-ASCII), and in one whose other text has
    /// raw non-ASCII (where non-ASCII escapes are not written back as they are).
    static var records: [String] {
        var records: [String] = []
        for (k, message) in messages.enumerated() {
            let parts =
                #"[{"sender": "a1", "messages": [\#(message), "fine"]}, {"sender": "b2", "messages": ["ok", \#(message)]}]"#
            let escapedPersonas = ScrubKeepingTests.asciiEscaped(ScrubKeepingTests.personas)
            records.append(#"{"chat_id": "e\#(k)", \#(escapedPersonas), "chat_parts": \#(parts)}"#)
            records.append(#"{"chat_id": "r\#(k)", \#(ScrubKeepingTests.personas), "chat_parts": \#(parts)}"#)
        }
        return records
    }

    @Test func keptEscapedPartsWriteWhatTheGeneralPathWrites() throws {
        let keeping = ScrubStage(engine: try ScrubEngine(RuleSet.defaults()))
        let general = ScrubStage(engine: try ScrubEngine(RuleSet.defaults()))
        general.engine.messageScrubber.keepsTexts = true
        let test = ScrubKeepingTests()
        for record in Self.records {
            #expect(try test.run(keeping, record) == test.run(general, record), "\(record)")
        }
        #expect(keeping.changes == general.changes)
        #expect(keeping.changes.values.reduce(0, +) > 80)
    }

    /// `rawOffset` finds each character of a decoded text in its escaped form.
    @Test func rawOffsetsFindEachDecodedCharacter() {
        let escaped = [
            #"caf\u00e9 \ud83d\ude00 x\ny \ud800 \/ \u0041 \u2615"#, "plain", #"\u00e9"#, #"\"q\""#, "",
        ]
        for content in escaped {
            let bytes = Array(content.utf8)
            bytes.withUnsafeBytes { raw in
                var out = [UInt8](repeating: 0, count: bytes.count)
                guard let (count, _) = out.withUnsafeMutableBytes({ EscapedText.decode(raw, into: $0.baseAddress) })
                else { return }
                let decoded = Array(out[..<count])
                // Each character start, and the end: decoding the rest from there gives the rest.
                var starts = [count]
                for (i, byte) in decoded.enumerated() where byte & 0xC0 != 0x80 { starts.append(i) }
                for start in starts {
                    guard let from = EscapedText.rawOffset(of: start, in: raw) else {
                        Issue.record("no raw offset for \(start) in \(content)")
                        continue
                    }
                    let rest = UnsafeRawBufferPointer(rebasing: raw[from...])
                    var tail = [UInt8](repeating: 0, count: rest.count)
                    let decodedRest = tail.withUnsafeMutableBytes { EscapedText.decode(rest, into: $0.baseAddress) }
                    #expect(decodedRest.map { Array(tail[..<$0.0]) } == Array(decoded[start...]), "\(content) \(start)")
                }
                // Inside a character: no offset.
                if let inside = decoded.firstIndex(where: { $0 & 0xC0 == 0x80 }) {
                    #expect(EscapedText.rawOffset(of: inside, in: raw) == nil, "\(content)")
                }
            }
        }
    }
}
