import CZstd

/// zstd at level 3 (zstd's default) with a content checksum (as the zstd tool writes), on one
/// thread: libzstd's worker threads are never used, so nothing depends on `--threads`.
final class ZstdEncoder: StreamEncoder {
    private let context: OpaquePointer

    init() throws(CodecFailure) {
        guard let context = ZSTD_createCCtx() else { throw CodecFailure(message: "cannot start zstd compression") }
        self.context = context
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, 3)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
    }

    deinit { ZSTD_freeCCtx(context) }

    func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, finish: Bool)
        throws(CodecFailure) -> EncodeStep
    {
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var target = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let remaining = ZSTD_compressStream2(context, &target, &source, finish ? ZSTD_e_end : ZSTD_e_continue)
        if ZSTD_isError(remaining) != 0 {
            throw CodecFailure(message: "zstd compression failed: \(String(cString: ZSTD_getErrorName(remaining)))")
        }
        // 0 when finishing: the frame is complete and flushed.
        return EncodeStep(consumed: source.pos, produced: target.pos, ended: finish && remaining == 0)
    }
}
