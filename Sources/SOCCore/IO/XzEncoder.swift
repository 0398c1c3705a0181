import CLzma

/// xz at preset 6 (xz's default) with a CRC64 check, single-threaded. The encoder takes about
/// 94 MiB while it runs, the price of xz's ratio; `.zst` is the light choice.
final class XzEncoder: StreamEncoder {
    private var stream = lzma_stream()

    init() throws(CodecFailure) {
        guard lzma_easy_encoder(&stream, 6, LZMA_CHECK_CRC64) == LZMA_OK else {
            throw CodecFailure(message: "cannot start xz compression")
        }
    }

    deinit { lzma_end(&stream) }

    func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, finish: Bool)
        throws(CodecFailure) -> EncodeStep
    {
        stream.next_in = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.avail_in = input.count
        stream.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        stream.avail_out = output.count
        let status = lzma_code(&stream, finish ? LZMA_FINISH : LZMA_RUN)
        // LZMA_BUF_ERROR: nothing to do until more input comes.
        guard status == LZMA_OK || status == LZMA_STREAM_END || status == LZMA_BUF_ERROR else {
            throw CodecFailure(message: "xz compression failed (liblzma status \(status.rawValue))")
        }
        return EncodeStep(
            consumed: input.count - stream.avail_in, produced: output.count - stream.avail_out,
            ended: status == LZMA_STREAM_END)
    }
}
