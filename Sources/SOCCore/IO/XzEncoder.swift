import CLzma

/// xz at preset 6 (xz's default) with a CRC64 check, single-threaded. The encoder takes about
/// 94 MiB while it runs, the price of xz's ratio; `.zst` is the light choice.
final class XzEncoder: OutputEncoder {
    private var stream = lzma_stream()
    private let out: UnsafeMutableRawBufferPointer
    private let target: String

    init(target: String) throws(OutputError) {
        self.target = target
        guard lzma_easy_encoder(&stream, 6, LZMA_CHECK_CRC64) == LZMA_OK else {
            throw .failed(target: target, message: "cannot start xz compression")
        }
        out = .allocate(byteCount: encoderChunkBytes, alignment: 16)
    }

    deinit {
        lzma_end(&stream)
        out.deallocate()
    }

    func encode(
        _ input: UnsafeRawBufferPointer, finish: Bool, emit: (UnsafeRawBufferPointer) throws(OutputError) -> Void
    ) throws(OutputError) {
        stream.next_in = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
        stream.avail_in = input.count
        while true {
            stream.next_out = out.baseAddress!.assumingMemoryBound(to: UInt8.self)
            stream.avail_out = out.count
            let status = lzma_code(&stream, finish ? LZMA_FINISH : LZMA_RUN)
            guard status == LZMA_OK || status == LZMA_STREAM_END else {
                throw .failed(target: target, message: "xz compression failed (liblzma status \(status.rawValue))")
            }
            let made = out.count - stream.avail_out
            if made > 0 { try emit(UnsafeRawBufferPointer(rebasing: out[0..<made])) }
            if finish ? status == LZMA_STREAM_END : stream.avail_in == 0 { return }
        }
    }
}
