import CBzip2

/// bzip2 with 900 kB blocks (bzip2's default, `-9`).
final class Bzip2Encoder: StreamEncoder {
    private var stream = bz_stream()

    init() throws(CodecFailure) {
        guard BZ2_bzCompressInit(&stream, 9, 0, 0) == BZ_OK else {
            throw CodecFailure(message: "cannot start bzip2 compression")
        }
    }

    deinit { BZ2_bzCompressEnd(&stream) }

    func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, finish: Bool)
        throws(CodecFailure) -> EncodeStep
    {
        // BZ_RUN with nothing to take is a parameter error in libbz2.
        if !finish && input.isEmpty { return EncodeStep(consumed: 0, produced: 0, ended: false) }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: CChar.self))
        stream.avail_in = UInt32(input.count)
        stream.next_out = output.baseAddress!.assumingMemoryBound(to: CChar.self)
        stream.avail_out = UInt32(output.count)
        let status = BZ2_bzCompress(&stream, finish ? BZ_FINISH : BZ_RUN)
        guard status == BZ_RUN_OK || status == BZ_FINISH_OK || status == BZ_STREAM_END else {
            throw CodecFailure(message: "bzip2 compression failed (libbz2 status \(status))")
        }
        return EncodeStep(
            consumed: input.count - Int(stream.avail_in), produced: output.count - Int(stream.avail_out),
            ended: status == BZ_STREAM_END)
    }
}
