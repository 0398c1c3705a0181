import Foundation
import SOCTestSupport
import Testing

@testable import SOCCore

/// Long pieces skip the sink's buffer (`OutputSink.writeThroughBytes`): what was buffered before
/// them must still come first, so the file holds every piece in the order it was written.
@Suite struct OutputSinkWriteThroughTests {
    @Test func longAndShortPiecesKeepTheirOrder() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("out.jsonl")
        let sink = try OutputSink.file(path)
        var expected: [UInt8] = []
        let long = OutputSink.writeThroughBytes
        for (k, size) in [10, long, 3, long * 3 + 7, 1, 1 << 20, long - 1, 0, 5].enumerated() {
            let piece = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ k) }
            try sink.write(piece)
            expected += piece
        }
        try sink.write(byte: 10)
        expected.append(10)
        try sink.commit()
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == expected)
    }

    /// Gathered pieces (`write(gathering:total:)`, as the writer hands on a unit's lines) come
    /// after what was buffered and before what follows, whether they are written in place (long
    /// pieces) or copied (short ones, or a compressed file).
    @Test(arguments: ["out.jsonl", "out.jsonl.gz"])
    func gatheredPiecesKeepTheirOrder(name: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path(name)
        let sink = try OutputSink.file(path)
        var expected: [UInt8] = []
        let pieceSizes = [
            [OutputSink.gatherPieceBytes * 200, 700, 1, OutputSink.writeThroughBytes],  // in place
            [3, 5, 7],  // short: copied
            [OutputSink.gatherPieceBytes - 1, OutputSink.writeThroughBytes * 2],
            Array(repeating: 600, count: OutputSink.maximumPieces + 5),
        ]
        for (round, sizes) in pieceSizes.enumerated() {
            let lead = Array("round \(round)\n".utf8)
            try sink.write(lead)
            expected += lead
            let storage = sizes.enumerated().map { k, size in
                (0..<size).map { UInt8(ascii: "a") + UInt8(($0 &* 7 &+ k &+ round) % 26) }
            }
            let pointers = storage.map { bytes -> UnsafeMutableRawBufferPointer in
                let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 1)
                copy.copyBytes(from: bytes)
                return copy
            }
            defer { for pointer in pointers { pointer.deallocate() } }
            var pieces = pointers.map { iovec(iov_base: $0.baseAddress, iov_len: $0.count) }
            let total = sizes.reduce(0, +)
            try pieces.withUnsafeMutableBufferPointer { try sink.write(gathering: $0, total: total) }
            expected += storage.joined()
        }
        try sink.commit()
        #expect(try InputFile(path).readAll() == expected)
        #expect(sink.bytesWritten == expected.count)
    }
}
