import CBzip2

/// Decompresses bzip2 (one or several concatenated streams, as `cat a.bz2 b.bz2` or pbzip2 make)
/// with libbz2.
final class Bzip2Source: ByteSource {
    private let inner: ByteSource
    private let name: String
    private var stream = bz_stream()
    private let input: UnsafeMutableRawBufferPointer
    private var streamOpen = false
    private var finishedStream = false
    private var started = false
    private var atEnd = false
    private var sawInput = false

    init(inner: ByteSource, name: String) throws(InputError) {
        self.inner = inner
        self.name = name
        input = .allocate(byteCount: 1 << 20, alignment: 16)
        try begin()
    }

    /// Starts (or restarts, for the next concatenated stream) the decoder.
    private func begin() throws(InputError) {
        if started { BZ2_bzDecompressEnd(&stream) }
        // A fresh state keeps where the input and the caller's buffer stand.
        let (nextIn, availableIn) = (stream.next_in, stream.avail_in)
        let (nextOut, availableOut) = (stream.next_out, stream.avail_out)
        stream = bz_stream()
        stream.next_in = nextIn
        stream.avail_in = availableIn
        stream.next_out = nextOut
        stream.avail_out = availableOut
        let status = BZ2_bzDecompressInit(&stream, 0, 0)
        guard status == BZ_OK else {
            throw InputError(input: name, message: "cannot start bzip2 decompression (libbz2 status \(status))")
        }
        started = true
    }

    var bytesConsumed: Int { inner.bytesConsumed }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if atEnd { return 0 }
        let capacity = UInt32(min(buffer.count, Int(UInt32.max)))
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: CChar.self)
        stream.avail_out = capacity
        while stream.avail_out == capacity {
            if stream.avail_in == 0 {
                let n = try inner.read(into: input)
                if n == 0 {
                    if streamOpen { throw InputError(input: name, message: "bzip2 stream is truncated") }
                    // A .bz2 name promises bzip2: an empty file is not an empty stream (bzip2 -t agrees).
                    if !sawInput { throw InputError(input: name, message: "not in bzip2 format: the file is empty") }
                    atEnd = true
                    break
                }
                if !sawInput {
                    sawInput = true
                    guard InputFormat.sniff(UnsafeRawBufferPointer(rebasing: input[0..<n])) == .bzip2 || n < 4 else {
                        throw InputError(input: name, message: "not in bzip2 format")
                    }
                }
                stream.next_in = input.baseAddress!.assumingMemoryBound(to: CChar.self)
                stream.avail_in = UInt32(n)
            }
            if finishedStream {
                // The previous stream ended and more bytes follow: another concatenated stream.
                try begin()
                finishedStream = false
            }
            streamOpen = true
            let status = BZ2_bzDecompress(&stream)
            if status == BZ_STREAM_END {
                streamOpen = false
                finishedStream = true
            } else if status != BZ_OK {
                throw InputError(input: name, message: "bzip2 data is corrupt (libbz2 status \(status))")
            }
        }
        return Int(capacity - stream.avail_out)
    }

    func close() {
        if started { BZ2_bzDecompressEnd(&stream) }
        input.deallocate()
        inner.close()
    }
}
