import CLzma

/// Decompresses xz (one or several concatenated streams) with liblzma.
final class XzSource: ByteSource {
    private let inner: ByteSource
    private let name: String
    private var stream = lzma_stream()
    private let input: UnsafeMutableRawBufferPointer
    private var atEnd = false
    private var sawInput = false
    private var inputEnded = false

    init(inner: ByteSource, name: String) throws(InputError) {
        self.inner = inner
        self.name = name
        input = .allocate(byteCount: 1 << 20, alignment: 16)
        // LZMA_CONCATENATED (0x08): streams that follow one another are one input, as `xz -dc` reads them.
        let status = lzma_stream_decoder(&stream, UInt64.max, 0x08)
        guard status == LZMA_OK else {
            input.deallocate()
            throw InputError(input: name, message: "cannot start xz decompression (liblzma status \(status.rawValue))")
        }
    }

    var bytesConsumed: Int { inner.bytesConsumed }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if atEnd { return 0 }
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.avail_out = buffer.count
        while stream.avail_out == buffer.count {
            if stream.avail_in == 0 && !inputEnded {
                let n = try inner.read(into: input)
                if n == 0 {
                    // An .xz name promises xz: an empty file is not an empty stream (xz -t agrees).
                    if !sawInput { throw InputError(input: name, message: "not in xz format: the file is empty") }
                    inputEnded = true
                } else {
                    if !sawInput {
                        sawInput = true
                        guard InputFormat.sniff(UnsafeRawBufferPointer(rebasing: input[0..<n])) == .xz || n < 6 else {
                            throw InputError(input: name, message: "not in xz format")
                        }
                    }
                    stream.next_in = UnsafePointer(input.baseAddress!.assumingMemoryBound(to: UInt8.self))
                    stream.avail_in = n
                }
            }
            let status = lzma_code(&stream, inputEnded ? LZMA_FINISH : LZMA_RUN)
            if status == LZMA_STREAM_END {
                atEnd = true
                break
            }
            if status == LZMA_BUF_ERROR && inputEnded {
                throw InputError(input: name, message: "xz stream is truncated")
            }
            if status != LZMA_OK {
                let reason =
                    status == LZMA_FORMAT_ERROR
                    ? "not in xz format" : "xz data is corrupt (liblzma status \(status.rawValue))"
                throw InputError(input: name, message: reason)
            }
        }
        return buffer.count - stream.avail_out
    }

    func close() {
        lzma_end(&stream)
        input.deallocate()
        inner.close()
    }
}
