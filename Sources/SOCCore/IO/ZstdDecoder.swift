import CZstd

/// zstd with libzstd's streaming API, which reads one frame after another by itself.
final class ZstdDecoder: StreamDecoder {
    static let format = "zstd"
    static let inputBytes = ZSTD_DStreamInSize()
    private let context: OpaquePointer

    init() throws(CodecFailure) {
        guard let context = ZSTD_createDCtx() else { throw CodecFailure(message: "cannot start zstd decompression") }
        self.context = context
    }

    /// A zstd frame (28 B5 2F FD) or a skippable frame (5x 2A 4D 18).
    static func accepts(_ head: UnsafeRawBufferPointer) -> Bool {
        guard head.count >= 4 else { return true }
        let frame = head[0] == 0x28 && head[1] == 0xB5 && head[2] == 0x2F && head[3] == 0xFD
        let skippable = head[0] & 0xF0 == 0x50 && head[1] == 0x2A && head[2] == 0x4D && head[3] == 0x18
        return frame || skippable
    }

    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, finish: Bool)
        throws(CodecFailure) -> DecodeStep
    {
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var target = ZSTD_outBuffer(dst: output.baseAddress, size: output.count, pos: 0)
        let hint = ZSTD_decompressStream(context, &target, &source)
        if ZSTD_isError(hint) != 0 {
            throw CodecFailure(message: "zstd data is corrupt: \(String(cString: ZSTD_getErrorName(hint)))")
        }
        // 0: a frame was decoded and flushed whole.
        return DecodeStep(consumed: source.pos, produced: target.pos, ended: hint == 0)
    }

    /// The next frame needs nothing: the context goes on by itself.
    func restart() throws(CodecFailure) {}

    func end() {
        ZSTD_freeDCtx(context)
    }
}
