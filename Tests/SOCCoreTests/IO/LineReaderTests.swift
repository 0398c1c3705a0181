import Testing

@testable import SOCCore

/// A source that hands out bytes a few at a time, to put line ends on every buffer boundary.
final class ChunkedSource: ByteSource {
    let bytes: [UInt8]
    let chunk: Int
    var position = 0
    init(_ bytes: [UInt8], chunk: Int) {
        self.bytes = bytes
        self.chunk = chunk
    }
    var bytesConsumed: Int { position }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let n = min(chunk, buffer.count, bytes.count - position)
        for k in 0..<n { buffer[k] = bytes[position + k] }
        position += n
        return n
    }
    func close() {}
}

@Suite struct LineReaderTests {
    func lines(_ text: String, chunk: Int = 7, maxLineBytes: Int = 1 << 20) throws -> [String] {
        let reader = LineReader(source: ChunkedSource(Array(text.utf8), chunk: chunk), maxLineBytes: maxLineBytes)
        var out: [String] = []
        while let line = try reader.next() {
            out.append(line.overlongLength.map { "<overlong \($0)>" } ?? String(decoding: line.bytes, as: UTF8.self))
        }
        return out
    }

    @Test func splitsOnNewlinesAcceptingCRLFAndAMissingLastNewline() throws {
        #expect(try lines("a\r\nbb\n\nccc") == ["a", "bb", "", "ccc"])
        #expect(try lines("") == [])
        #expect(try lines("\n") == [""])
    }

    @Test func lineEndsOnEveryChunkBoundary() throws {
        let text = (0..<300).map { String(repeating: "x", count: $0 % 37) + "é" }.joined(separator: "\n") + "\n"
        let expected = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        for chunk in [1, 2, 3, 8, 64, 4096] {
            #expect(try lines(text, chunk: chunk) == expected)
        }
    }

    @Test func overlongLinesAreSkippedStreamedAndCounted() throws {
        let long = String(repeating: "y", count: 300_000)
        let text = "short\n\(long)\nafter\n"
        #expect(try lines(text, chunk: 10_000, maxLineBytes: 1_000) == ["short", "<overlong 300000>", "after"])
        // The skipped bytes are handed out verbatim as they stream past.
        let reader = LineReader(source: ChunkedSource(Array(text.utf8), chunk: 10_000), maxLineBytes: 1_000)
        var streamed = 0
        reader.overlongChunk = { streamed += $0.count }
        var numbers: [Int] = []
        while let line = try reader.next() { numbers.append(line.number) }
        #expect(streamed == 300_000)
        #expect(numbers == [1, 2, 3])
    }

    /// Found by the `lines` fuzz target: a `\r\n` split across two reads of a streamed overlong
    /// line once left the `\r` in `--rejects` and in the length. Every chunk size puts the split
    /// everywhere; `\r`s inside the line stay.
    @Test(arguments: 1...13)
    func streamedOverlongLineDropsOnlyItsLineEndCR(chunk: Int) throws {
        try Self.checkStreamedOverlongLine(context: "chunk \(chunk)") { ChunkedSource($0, chunk: chunk) }
    }

    /// The check behind `streamedOverlongLineDropsOnlyItsLineEndCR`, for any source of the text
    /// (read(2) chunks here, mmap windows in `MappedFileTests`): the overlong line streams out
    /// verbatim without its line-end `\r`, the lines around it come whole.
    static func checkStreamedOverlongLine(context: String, source: ([UInt8]) throws -> ByteSource) throws {
        let line = "01\r34\r\r789"
        for ending in ["\r\n", "\r"] {
            let text = Array("ab\r\n\(line)\(ending)".utf8) + (ending == "\r" ? [] : Array("cd\r\n".utf8))
            let input = try source(text)
            defer { input.close() }
            let reader = LineReader(source: input, maxLineBytes: 4)
            var streamed: [UInt8] = []
            reader.overlongChunk = { streamed += $0 }
            var seen: [String] = []
            while let next = try reader.next() {
                seen.append(
                    next.overlongLength.map { "<overlong \($0)>" } ?? String(decoding: next.bytes, as: UTF8.self))
                // A line that fit the buffer after all comes whole (the runner writes it); else it streamed.
                if next.overlongLength != nil && next.bytes.count > 0 { streamed += next.bytes }
            }
            #expect(seen == ["ab", "<overlong 10>"] + (ending == "\r" ? [] : ["cd"]), "\(context)")
            #expect(streamed == Array(line.utf8), "\(context)")
        }
    }

    @Test func lineExactlyAtTheLimitIsKept() throws {
        #expect(
            try lines(String(repeating: "z", count: 100) + "\n", maxLineBytes: 100) == [
                String(repeating: "z", count: 100)
            ])
        #expect(try lines(String(repeating: "z", count: 101) + "\n", maxLineBytes: 100) == ["<overlong 101>"])
    }
}
