import Testing

@testable import SOCCore

/// A stage given the runner's line output (`RecordStage.attach`) writes a changed chat's whole
/// new line there (`Verdict.written`): the same bytes the `.edit` verdict of a stage without one
/// gives, after what the output already held, and nothing left behind for a record kept as it is
/// or rejected (an emptied chat).
@Suite struct ScrubLineOutputTests {
    /// What a stage without a line output makes of `line`: the new line, "keep", or the
    /// rejection's code.
    static func expected(_ engine: ScrubEngine, _ line: String) throws -> String {
        var held: [(String, [JSONEdit])] = []
        return try ScrubEditBufferTests.run(ScrubStage(engine: engine), line, held: &held)
    }

    @Test func theWrittenLineIsTheEditedLine() throws {
        let engine = try ScrubEngine(RuleSet.defaults())
        let stage = ScrubStage(engine: engine)
        let output = LineOutput()
        stage.attach(output)
        output.bytes = Array("an earlier line\n".utf8)
        var written = 0
        // Twice over: the output grows, and the general path (a dropped part) runs after the fast one.
        for line in ScrubEditBufferTests.lines + ScrubEditBufferTests.lines {
            let want = try Self.expected(engine, line)
            let before = output.bytes
            let got: String = try withDocument(line) { document in
                switch stage.process(document, at: RecordLocation(file: "t", line: 1)) {
                case .keep: return "keep"
                case .written(let range):
                    #expect(range.lowerBound == before.count)
                    #expect(range.upperBound == output.bytes.count)
                    #expect(Array(output.bytes[..<range.lowerBound]) == before, "what the output held stays")
                    written += 1
                    return String(decoding: output.bytes[range], as: UTF8.self)
                case .reject(let diagnosis, _): return "reject \(diagnosis.code)"
                default: return "other"
                }
            }
            #expect(got == want)
            if got == "keep" || got.hasPrefix("reject") { #expect(output.bytes == before, "nothing left behind") }
        }
        #expect(written >= 8)
    }
}
