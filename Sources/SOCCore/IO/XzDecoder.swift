import CLzma

/// xz with liblzma, which reads concatenated streams as one (LZMA_CONCATENATED, as `xz -dc`):
/// its one stream ends with the input.
final class XzDecoder: StreamDecoder {
    static let format = "xz"
    private var stream = lzma_stream()

    init() throws(CodecFailure) {
        try begin()
    }

    private func begin() throws(CodecFailure) {
        stream = lzma_stream()
        // 0x08: LZMA_CONCATENATED (not exported as a Swift constant).
        let status = lzma_stream_decoder(&stream, UInt64.max, 0x08)
        guard status == LZMA_OK else {
            throw CodecFailure(message: "cannot start xz decompression (liblzma status \(status.rawValue))")
        }
    }

    static func accepts(_ head: UnsafeRawBufferPointer) -> Bool {
        head.count < 6 || InputFormat.sniff(head) == .xz
    }

    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, finish: Bool)
        throws(CodecFailure) -> DecodeStep
    {
        stream.next_in = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.avail_in = input.count
        stream.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.avail_out = output.count
        // LZMA_FINISH once no input follows: only then can a concatenated input end.
        let status = lzma_code(&stream, finish ? LZMA_FINISH : LZMA_RUN)
        // LZMA_BUF_ERROR: no progress was possible (at the end of the input: truncated).
        guard status == LZMA_OK || status == LZMA_STREAM_END || status == LZMA_BUF_ERROR else {
            throw CodecFailure(
                message: status == LZMA_FORMAT_ERROR
                    ? "not in xz format" : "xz data is corrupt (liblzma status \(status.rawValue))")
        }
        return DecodeStep(
            consumed: input.count - stream.avail_in, produced: output.count - stream.avail_out,
            ended: status == LZMA_STREAM_END)
    }

    func restart() throws(CodecFailure) {
        lzma_end(&stream)
        try begin()
    }

    func end() {
        lzma_end(&stream)
    }
}
