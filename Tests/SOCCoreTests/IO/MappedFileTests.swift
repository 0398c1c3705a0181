import Foundation
import SOCTestSupport
import Testing

@testable import SOCCore

#if canImport(Glibc)
    import Glibc
#endif

/// A plain file is read in place through mmap(2) windows (`MappedFile`). Whatever the window
/// size, the lines, the batches (the runner's work units) and what an overlong line streams must
/// be exactly those of the read(2) path.
@Suite struct MappedFileTests {
    /// `bytes` as a file, mapped in windows of `window` bytes.
    static func mapped(_ bytes: [UInt8], window: Int, in directory: TemporaryDirectory) throws -> MappedFile {
        let path = try directory.write("in-\(window).jsonl", bytes: Data(bytes))
        let fd = open(path, O_RDONLY)
        #expect(fd >= 0)
        defer { close(fd) }
        return try #require(MappedFile(duplicating: fd, size: bytes.count, name: path, windowBytes: window))
    }

    @Test(arguments: [1, 5, 64, 4096, 1 << 20])
    func batchesAreThoseOfTheReadPath(window: Int) throws {
        let directory = try TemporaryDirectory()
        let batches = LineBatchTests()
        for limits in [BatchLimits(lines: 7, bytes: 1 << 20), BatchLimits(lines: 1000, bytes: 300)] {
            let reference = try batches.batches(LineBatchTests.mixed, chunk: 333, limits: limits)
            let file = try Self.mapped(LineBatchTests.mixed, window: window, in: directory)
            defer { file.close() }
            #expect(try batches.batches(from: file, limits: limits) == reference, "window \(window), \(limits)")
        }
    }

    /// Lines of a mapped batch point into the window, each followed by its own `\n`; lines that
    /// ended in `\r\n` or at the end of the file are copied with one. Runs stay adjacent.
    @Test(arguments: [3, 4096, 1 << 20])
    func linesWithTheirNewlinesAreTheLinesAsWritten(window: Int) throws {
        let directory = try TemporaryDirectory()
        let file = try Self.mapped(LineBatchTests.mixed, window: window, in: directory)
        defer { file.close() }
        let reader = LineReader(source: file, maxLineBytes: 1 << 20)
        let batch = LineBatch(capacity: 2048)
        var written: [UInt8] = []
        var adjacent = 0
        while try reader.nextBatch(into: batch, limits: BatchLimits(lines: 50, bytes: 2048)) {
            for k in 0..<batch.count {
                let whole = batch.bytesWithNewline(k)
                #expect(Array(whole.dropLast()) == Array(batch[k].bytes))
                #expect(whole.last == 10)
                if k > 0 {
                    let previous = batch.bytesWithNewline(k - 1)
                    if previous.baseAddress! + previous.count == whole.baseAddress! { adjacent += 1 }
                }
                written += whole
            }
        }
        #expect(written == LineBatchTests.mixedAsWritten)
        if window >= 4096 { #expect(adjacent > 300, "most lines follow the one before in memory") }
    }

    /// An overlong line streams out of the windows as it would out of read(2) chunks, a `\r\n`
    /// split across two windows included.
    @Test(arguments: 1...13)
    func streamedOverlongLineIsTheSame(window: Int) throws {
        let directory = try TemporaryDirectory()
        try LineReaderTests.checkStreamedOverlongLine(context: "window \(window)") {
            try Self.mapped($0, window: window, in: directory)
        }
    }

    @Test func aByteOrderMarkIsSkipped() throws {
        let directory = try TemporaryDirectory()
        let file = try Self.mapped([0xEF, 0xBB, 0xBF] + Array("{}\n[]".utf8), window: 2, in: directory)
        defer { file.close() }
        let reader = LineReader(source: file, maxLineBytes: 100)
        #expect(try reader.checkByteOrderMark())
        #expect(String(decoding: try #require(try reader.next()).bytes, as: UTF8.self) == "{}")
        #expect(String(decoding: try #require(try reader.next()).bytes, as: UTF8.self) == "[]")
        #expect(try reader.next() == nil)
    }

    /// Which inputs are mapped: a plain regular file; not a compressed one, not an empty one.
    @Test func plainFilesAreMappedOthersRead() throws {
        let directory = try TemporaryDirectory()
        let plain = try directory.write("a.jsonl", "{}\n")
        let empty = try directory.write("e.jsonl", "")
        let gzip = try directory.write(
            "a.jsonl.gz", bytes: Data([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]))
        let source = try InputFile(plain).open()
        #expect(source is MappedFile)
        source.close()
        for path in [empty, gzip] {
            let other = try InputFile(path).open()
            #expect(!(other is MappedFile), "\(path)")
            other.close()
        }
    }
}
