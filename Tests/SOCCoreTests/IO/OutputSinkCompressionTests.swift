import Foundation
import SOCTestSupport
import Testing

@testable import SOCCore

/// `OutputSink` on a file named `.gz`, `.zst`, `.bz2` or `.xz`: the bytes come back through
/// `InputFile`, and the compressed bytes do not depend on how the writes were cut or when the
/// writer flushed (the sink feeds the encoder fixed 1 MiB pieces).
@Suite struct OutputSinkCompressionTests {
    /// About 2.5 MiB of lines: over two of the sink's pieces.
    static let text: [UInt8] = Array(
        (0..<40_000).map { #"{"n": \#($0), "text": "some words that repeat"}"# + "\n" }.joined().utf8)

    /// Writes `text` in pieces of `cut` bytes, flushing after every `flushEvery` writes.
    static func write(_ path: String, cut: Int, flushEvery: Int) throws -> Data {
        let sink = try OutputSink.file(path)
        var offset = 0
        var writes = 0
        while offset < text.count {
            let end = min(text.count, offset + cut)
            try sink.write(Array(text[offset..<end]))
            offset = end
            writes += 1
            if writes % flushEvery == 0 { try sink.flush() }
        }
        try sink.commit()
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    @Test(arguments: ["gz", "zst", "bz2", "xz"])
    func theSameBytesWhateverTheWritesAndFlushes(_ suffix: String) throws {
        let dir = try TemporaryDirectory()
        let a = try Self.write(dir.path("a.jsonl.\(suffix)"), cut: 1, flushEvery: 100_003)
        let b = try Self.write(dir.path("b.jsonl.\(suffix)"), cut: 3 << 20, flushEvery: 1)
        let c = try Self.write(dir.path("c.jsonl.\(suffix)"), cut: 4093, flushEvery: 7)
        #expect(a == b && b == c, "\(suffix): \(a.count), \(b.count), \(c.count) bytes")
        #expect(a.count < Self.text.count / 3, "\(suffix) compressed \(Self.text.count) bytes to \(a.count)")

        let out = try InputFile(dir.path("a.jsonl.\(suffix)")).readAll()
        #expect(out == Self.text)
    }

    /// An empty output is still a valid (empty) stream of its format.
    @Test(arguments: ["gz", "zst", "bz2", "xz"])
    func anEmptyOutputIsAnEmptyStream(_ suffix: String) throws {
        let dir = try TemporaryDirectory()
        let sink = try OutputSink.file(dir.path("e.\(suffix)"))
        try sink.commit()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir.path("e.\(suffix)")))
        #expect(!bytes.isEmpty)
        let source = try InputFile(dir.path("e.\(suffix)")).open()
        defer { source.close() }
        var buffer = [UInt8](repeating: 0, count: 64)
        #expect(try buffer.withUnsafeMutableBytes { try source.read(into: $0) } == 0)
    }
}
