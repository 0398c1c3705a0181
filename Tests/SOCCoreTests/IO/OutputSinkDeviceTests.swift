import Foundation
import Testing

@testable import SOCCore

#if canImport(Glibc)
    import Glibc
#endif

/// A sink given a device or FIFO path writes into it; it must never rename a temporary file
/// onto it (as root that replaced /dev/null with a regular file on `--dry-run` / `--check`).
@Suite struct OutputSinkDeviceTests {
    @Test func aFIFOIsWrittenInPlaceAndStaysAFIFO() throws {
        var template = Array((FileManager.default.temporaryDirectory.path + "/soc-sink-XXXXXX").utf8CString)
        let dir = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
        defer { rmdir(dir) }
        let fifo = dir + "/pipe"
        #expect(mkfifo(fifo, 0o600) == 0)
        defer { unlink(fifo) }
        // Hold it open for reading and writing so that opening it to write does not block.
        let reader = open(fifo, O_RDWR | O_NONBLOCK)
        #expect(reader >= 0)
        defer { close(reader) }

        let sink = try OutputSink.file(fifo)
        try sink.write("hello\n")
        try sink.commit()

        var buffer = [UInt8](repeating: 0, count: 16)
        let n = read(reader, &buffer, 16)
        #expect(n == 6)
        #expect(String(decoding: buffer[0..<max(0, n)], as: UTF8.self) == "hello\n")
        var status = stat()
        #expect(lstat(fifo, &status) == 0)
        #expect(status.st_mode & S_IFMT == S_IFIFO)
    }
}
