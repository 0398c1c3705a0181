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
}
