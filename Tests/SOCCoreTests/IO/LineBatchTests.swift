import Testing

@testable import SOCCore

/// `LineReader.nextBatch`, as ripgrep's SearcherTester checks its searcher: the same input read
/// in every chunk size must give the same batches, because the runner's work units (and so every
/// output that depends on them, such as merged statistics) must not depend on how read() returned.
@Suite struct LineBatchTests {
    /// Each batch as its lines (overlong ones as `<overlong N>`), with the first line number.
    func batches(_ bytes: [UInt8], chunk: Int, limits: BatchLimits, maxLineBytes: Int = 1 << 20) throws -> [[String]] {
        try batches(from: ChunkedSource(bytes, chunk: chunk), limits: limits, maxLineBytes: maxLineBytes)
    }

    func batches(from source: ByteSource, limits: BatchLimits, maxLineBytes: Int = 1 << 20) throws -> [[String]] {
        let reader = LineReader(source: source, maxLineBytes: maxLineBytes)
        let batch = LineBatch(capacity: limits.bytes)
        var out: [[String]] = []
        while try reader.nextBatch(into: batch, limits: limits) {
            var lines = ["@\(batch.firstLineNumber)"]
            for k in 0..<batch.count {
                let line = batch[k]
                #expect(line.number == batch.firstLineNumber + k)
                lines.append(
                    line.overlongLength.map { "<overlong \($0)>" } ?? String(decoding: line.bytes, as: UTF8.self))
            }
            out.append(lines)
        }
        #expect(batch.isEmpty, "the end of the input leaves the batch empty")
        return out
    }

    static let mixed: [UInt8] = {
        var text = ""
        for k in 0..<500 {
            switch k % 11 {
            case 0: text += "\n"
            case 3: text += "{\"k\": \(k)}\r\n"
            case 7: text += String(repeating: "w", count: 150 + k % 40) + "\n"
            default: text += "{\"id\": \"\(k)\", \"text\": \"\(String(repeating: "é", count: k % 23))\"}\n"
            }
        }
        return Array((text + "{\"last\": true}").utf8)
    }()

    /// `mixed` as the tools write its lines: `\r\n` becomes `\n`, and the last line gets one.
    static let mixedAsWritten: [UInt8] = {
        var written: [UInt8] = []
        for (k, byte) in mixed.enumerated() where !(byte == 13 && mixed[k + 1] == 10) {
            written.append(byte)
        }
        return written + [10]
    }()

    @Test func batchesDoNotDependOnHowReadsReturn() throws {
        for limits in [
            BatchLimits(lines: 7, bytes: 1 << 20), BatchLimits(lines: 1000, bytes: 300),
            BatchLimits(lines: 13, bytes: 1024), BatchLimits(lines: 1, bytes: 1),
        ] {
            let reference = try batches(Self.mixed, chunk: Self.mixed.count, limits: limits)
            for chunk in [1, 2, 7, 64, 333, 4096] {
                #expect(try batches(Self.mixed, chunk: chunk, limits: limits) == reference, "chunk \(chunk), \(limits)")
            }
            // Every line is in exactly one batch, in order.
            let all = reference.flatMap { $0.dropFirst() }
            #expect(all.count == 501)
            #expect(all.last == "{\"last\": true}")
        }
    }

    /// Unchanged lines are written in runs: each line's bytes with their `\n` must sit right after
    /// the previous line's, whatever ended the line in the input (`\n`, `\r\n`, nothing at the end).
    @Test(arguments: [64, 2048])
    func linesWithTheirNewlinesAreAdjacent(capacity: Int) throws {
        let limits = BatchLimits(lines: 50, bytes: 2048)
        let reader = LineReader(source: ChunkedSource(Self.mixed, chunk: 61), maxLineBytes: 1 << 20)
        // As the runner makes them (room for the byte limit), or too small (lines go to new chunks).
        let batch = LineBatch(capacity: capacity)
        var written: [UInt8] = []
        while try reader.nextBatch(into: batch, limits: limits) {
            for k in 0..<batch.count {
                let whole = batch.bytesWithNewline(k)
                #expect(Array(whole.dropLast()) == Array(batch[k].bytes))
                #expect(whole.last == 10)
                if k > 0 && capacity >= limits.bytes {
                    let previous = batch.bytesWithNewline(k - 1)
                    #expect(previous.baseAddress! + previous.count == whole.baseAddress!)
                }
                written += whole
            }
        }
        #expect(written == Self.mixedAsWritten)
    }

    @Test func batchesKeepToTheirLimits() throws {
        let limits = BatchLimits(lines: 10, bytes: 400)
        let reader = LineReader(source: ChunkedSource(Self.mixed, chunk: 97), maxLineBytes: 1 << 20)
        let batch = LineBatch(capacity: limits.bytes)
        var lines = 0
        while try reader.nextBatch(into: batch, limits: limits) {
            #expect(batch.count <= limits.lines)
            // Over the byte limit only when a single line is longer than it.
            #expect(batch.countedBytes <= limits.bytes || batch.count == 1)
            lines += batch.count
        }
        #expect(lines == 501)
    }

    @Test func anOverlongLineIsAloneInItsBatchWhetherStreamedOrBuffered() throws {
        let long = String(repeating: "y", count: 5_000)
        let text = Array("a\nb\n\(long)\nc\r\n\(String(repeating: "z", count: 101))\nd".utf8)
        let limits = BatchLimits(lines: 100, bytes: 1 << 20)
        let expected = [
            ["@1", "a", "b"], ["@3", "<overlong 5000>"], ["@4", "c"], ["@5", "<overlong 101>"], ["@6", "d"],
        ]
        for chunk in [1, 50, 6000, text.count] {
            #expect(try batches(text, chunk: chunk, limits: limits, maxLineBytes: 100) == expected, "chunk \(chunk)")
        }
        // Streamed past in chunks, verbatim, after a call that lets the lines before it be written first.
        let reader = LineReader(source: ChunkedSource(text, chunk: 50), maxLineBytes: 100)
        var events: [String] = []
        var streamed = 0
        reader.willStreamOverlongLine = { events.append("stream") }
        reader.overlongChunk = { streamed += $0.count }
        let batch = LineBatch(capacity: limits.bytes)
        while try reader.nextBatch(into: batch, limits: limits) { events.append("batch \(batch.count)") }
        #expect(events == ["batch 2", "stream", "batch 1", "batch 1", "batch 1", "batch 1"])
        #expect(streamed == 5_000)
    }

    @Test func manyTinyLinesAreCutByTheLineLimit() throws {
        let text = Array(String(repeating: "{}\n", count: 10_000).utf8)
        let limits = BatchLimits(lines: 4096, bytes: 1 << 20)
        let counts = try batches(text, chunk: 65_536, limits: limits).map { $0.count - 1 }
        #expect(counts == [4096, 4096, 1808])
    }
}
