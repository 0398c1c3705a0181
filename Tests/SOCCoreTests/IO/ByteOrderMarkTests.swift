import Testing

@testable import SOCCore

/// A UTF-8 byte order mark at the start of an input is skipped and reported (issue 11, item 18),
/// however the bytes arrive; elsewhere it is data.
@Suite struct ByteOrderMarkTests {
    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    func read(_ bytes: [UInt8], chunk: Int, batches: Bool) throws -> (lines: [[UInt8]], skipped: Bool) {
        let reader = LineReader(source: ChunkedSource(bytes, chunk: chunk), maxLineBytes: 1 << 20)
        var lines: [[UInt8]] = []
        if batches {
            let batch = LineBatch(capacity: 64)
            while try reader.nextBatch(into: batch, limits: BatchLimits(lines: 3, bytes: 64)) {
                for k in 0..<batch.count { lines.append(Array(batch[k].bytes)) }
            }
        } else {
            while let line = try reader.next() { lines.append(Array(line.bytes)) }
        }
        return (lines, reader.skippedByteOrderMark)
    }

    @Test(arguments: [1, 2, 3, 4, 64])
    func aLeadingMarkIsSkippedWhateverTheChunks(chunk: Int) throws {
        for batches in [false, true] {
            let result = try read(Self.bom + Array("{\"a\":1}\n{\"b\":2}\n".utf8), chunk: chunk, batches: batches)
            #expect(result.skipped)
            #expect(result.lines == [Array("{\"a\":1}".utf8), Array("{\"b\":2}".utf8)])
        }
    }

    @Test func onlyTheStartCounts() throws {
        let middle = try read(Array("{}\n".utf8) + Self.bom + Array("{}\n".utf8), chunk: 2, batches: false)
        #expect(!middle.skipped)
        #expect(middle.lines[1] == Self.bom + Array("{}".utf8))
        let short = try read([0xEF, 0xBB], chunk: 1, batches: false)
        #expect(!short.skipped && short.lines == [[0xEF, 0xBB]])
        let alone = try read(Self.bom, chunk: 1, batches: true)
        #expect(alone.skipped && alone.lines.isEmpty)
        #expect(try read([], chunk: 1, batches: false).lines.isEmpty)
    }

    @Test func checkingFirstReadsNothingAway() throws {
        let reader = LineReader(source: ChunkedSource(Self.bom + Array("x\ny".utf8), chunk: 1), maxLineBytes: 1 << 20)
        #expect(try reader.checkByteOrderMark())
        #expect(try reader.next().map { Array($0.bytes) } == Array("x".utf8))
        #expect(try reader.next().map { Array($0.bytes) } == Array("y".utf8))
        #expect(try reader.next() == nil)
    }
}
