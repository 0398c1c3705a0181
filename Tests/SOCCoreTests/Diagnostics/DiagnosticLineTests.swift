import Testing

@testable import SOCCore

/// The one rendering of diagnostic lines: each format, escaping, and the same JSON keys for a
/// record's line and a tool's own.
@Suite struct DiagnosticLineTests {
    static let record = DiagnosticLine(
        tool: "soc-validate", level: .error, subject: .record(RecordLocation(file: "a,b:c.jsonl", line: 3)),
        code: "schema_required", path: "$", message: "required property 'id' is missing")
    static let failure = DiagnosticLine(
        tool: "soc-filter", level: .error, subject: .tool, code: "io_error", message: "x%y\nz: cannot open")

    @Test func eachFormatOfARecordsLine() {
        #expect(Self.record.rendered(.text) == "a,b:c.jsonl:3: schema_required: $: required property 'id' is missing")
        #expect(
            Self.record.rendered(.json)
                == #"{"tool":"soc-validate","level":"error","file":"a,b:c.jsonl","line":3,"code":"schema_required","path":"$","message":"required property 'id' is missing"}"#
        )
        #expect(
            Self.record.rendered(.github)
                == "::error file=a%2Cb%3Ac.jsonl,line=3::schema_required: $: required property 'id' is missing")
        #expect(Self.record.rendered(.sarif) == nil)
    }

    @Test func eachFormatOfAToolsLine() {
        #expect(Self.failure.rendered(.text) == "soc-filter: x%y\nz: cannot open")
        #expect(Self.failure.rendered(.github) == "::error::soc-filter: x%25y%0Az: cannot open")
        #expect(
            Self.failure.rendered(.json)
                == #"{"tool":"soc-filter","level":"error","file":null,"line":null,"code":"io_error","path":null,"message":"x%y\nz: cannot open"}"#
        )
        let note = DiagnosticLine(tool: "soc-stats", level: .note, subject: .tool, code: "timings", message: "t")
        #expect(note.rendered(.github) == "soc-stats: t", "notes are plain log lines, not annotations")
    }

    @Test func sarifNamesFilesAsRelativeURIsAndKeepsAtMostItsLimit() {
        #expect(SARIFLog.artifactURI("data/chats 1.jsonl") == "data/chats%201.jsonl")
        #expect(SARIFLog.artifactURI("<stdin>") == "stdin")
        #expect(SARIFLog.artifactURI("é.jsonl") == "%C3%A9.jsonl")
        var log = SARIFLog()
        for k in 0..<(SARIFLog.resultLimit + 3) {
            log.add(
                DiagnosticLine(
                    tool: "soc-filter", level: .error, subject: .record(RecordLocation(file: "a", line: k + 1)),
                    code: "malformed_json", message: "m"))
        }
        #expect(log.resultsLeftOut == 3)
        let document = log.document(tool: "soc-filter", version: "1", status: .dataFailure)
        let run = document["runs"]?.arrayValue?.first
        #expect(run?["results"]?.arrayValue?.count == SARIFLog.resultLimit)
        let notes = run?["invocations"]?.arrayValue?.first?["toolExecutionNotifications"]?.arrayValue ?? []
        #expect(notes.contains { $0["message"]?["text"]?.stringValue?.hasPrefix("3 more result(s)") == true })
    }
}
