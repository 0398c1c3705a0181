import CBzip2

/// bzip2 with 900 kB blocks (bzip2's default, `-9`).
final class Bzip2Encoder: OutputEncoder {
    private var stream = bz_stream()
    private let out: UnsafeMutableRawBufferPointer
    private let target: String

    init(target: String) throws(OutputError) {
        self.target = target
        guard BZ2_bzCompressInit(&stream, 9, 0, 0) == BZ_OK else {
            throw .failed(target: target, message: "cannot start bzip2 compression")
        }
        out = .allocate(byteCount: encoderChunkBytes, alignment: 16)
    }

    deinit {
        BZ2_bzCompressEnd(&stream)
        out.deallocate()
    }

    func encode(
        _ input: UnsafeRawBufferPointer, finish: Bool, emit: (UnsafeRawBufferPointer) throws(OutputError) -> Void
    ) throws(OutputError) {
        // BZ_RUN with nothing to take is a parameter error in libbz2.
        if !finish && input.isEmpty { return }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: CChar.self))
        stream.avail_in = UInt32(input.count)
        while true {
            stream.next_out = out.baseAddress!.assumingMemoryBound(to: CChar.self)
            stream.avail_out = UInt32(out.count)
            let status = BZ2_bzCompress(&stream, finish ? BZ_FINISH : BZ_RUN)
            guard status == BZ_RUN_OK || status == BZ_FINISH_OK || status == BZ_STREAM_END else {
                throw .failed(target: target, message: "bzip2 compression failed (libbz2 status \(status))")
            }
            let made = out.count - Int(stream.avail_out)
            if made > 0 { try emit(UnsafeRawBufferPointer(rebasing: out[0..<made])) }
            if finish ? status == BZ_STREAM_END : stream.avail_in == 0 { return }
        }
    }
}
