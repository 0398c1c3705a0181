import CZstd

/// zstd at level 3 (zstd's default) with a content checksum (as the zstd tool writes), on one
/// thread: libzstd's worker threads are never used, so nothing depends on `--threads`.
final class ZstdEncoder: OutputEncoder {
    private let context: OpaquePointer
    private let out: UnsafeMutableRawBufferPointer
    private let target: String

    init(target: String) throws(OutputError) {
        self.target = target
        guard let context = ZSTD_createCCtx() else {
            throw .failed(target: target, message: "cannot start zstd compression")
        }
        self.context = context
        ZSTD_CCtx_setParameter(context, ZSTD_c_compressionLevel, 3)
        ZSTD_CCtx_setParameter(context, ZSTD_c_checksumFlag, 1)
        out = .allocate(byteCount: encoderChunkBytes, alignment: 16)
    }

    deinit {
        ZSTD_freeCCtx(context)
        out.deallocate()
    }

    func encode(
        _ input: UnsafeRawBufferPointer, finish: Bool, emit: (UnsafeRawBufferPointer) throws(OutputError) -> Void
    ) throws(OutputError) {
        var inBuffer = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while true {
            var outBuffer = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
            let remaining = ZSTD_compressStream2(context, &outBuffer, &inBuffer, finish ? ZSTD_e_end : ZSTD_e_continue)
            if ZSTD_isError(remaining) != 0 {
                let reason = String(cString: ZSTD_getErrorName(remaining))
                throw .failed(target: target, message: "zstd compression failed: \(reason)")
            }
            if outBuffer.pos > 0 { try emit(UnsafeRawBufferPointer(rebasing: out[0..<outBuffer.pos])) }
            if finish ? remaining == 0 : inBuffer.pos == inBuffer.size { return }
        }
    }
}
