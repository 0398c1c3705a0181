import CBzip2

/// bzip2 with libbz2: one stream at a time, `restart` for the next (`cat a.bz2 b.bz2`, pbzip2).
final class Bzip2Decoder: StreamDecoder {
    static let format = "bzip2"
    private var stream = bz_stream()

    init() throws(CodecFailure) {
        try begin()
    }

    private func begin() throws(CodecFailure) {
        stream = bz_stream()
        let status = BZ2_bzDecompressInit(&stream, 0, 0)
        guard status == BZ_OK else {
            throw CodecFailure(message: "cannot start bzip2 decompression (libbz2 status \(status))")
        }
    }

    static func accepts(_ head: UnsafeRawBufferPointer) -> Bool {
        head.count < 4 || InputFormat.sniff(head) == .bzip2
    }

    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, finish: Bool)
        throws(CodecFailure) -> DecodeStep
    {
        let available = UInt32(min(input.count, Int(UInt32.max)))
        let capacity = UInt32(min(output.count, Int(UInt32.max)))
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: CChar.self))
        stream.avail_in = available
        stream.next_out = output.baseAddress!.assumingMemoryBound(to: CChar.self)
        stream.avail_out = capacity
        let status = BZ2_bzDecompress(&stream)
        guard status == BZ_OK || status == BZ_STREAM_END else {
            throw CodecFailure(message: "bzip2 data is corrupt (libbz2 status \(status))")
        }
        return DecodeStep(
            consumed: Int(available - stream.avail_in), produced: Int(capacity - stream.avail_out),
            ended: status == BZ_STREAM_END)
    }

    /// libbz2 has no reset: a fresh decoder for the next stream.
    func restart() throws(CodecFailure) {
        BZ2_bzDecompressEnd(&stream)
        try begin()
    }

    func end() {
        BZ2_bzDecompressEnd(&stream)
    }
}
