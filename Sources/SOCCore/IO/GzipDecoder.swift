import CZlib

/// gzip with zlib: one member at a time, `restart` for the next (`cat a.gz b.gz`).
final class GzipDecoder: StreamDecoder {
    static let format = "gzip"
    private var stream = z_stream()

    init() throws(CodecFailure) {
        // 15 + 32: any window size, gzip or zlib header detected automatically.
        let status = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw CodecFailure(message: "cannot start gzip decompression (zlib status \(status))")
        }
    }

    /// Only gzip's magic, as `gzip -t`: zlib's auto-detection would also take a zlib stream.
    static func accepts(_ head: UnsafeRawBufferPointer) -> Bool {
        head[0] == 0x1F && (head.count < 2 || head[1] == 0x8B)
    }

    func decode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, finish: Bool)
        throws(CodecFailure) -> DecodeStep
    {
        let available = uInt(min(input.count, Int(UInt32.max)))
        let capacity = uInt(min(output.count, Int(UInt32.max)))
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = available
        stream.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = capacity
        let status = inflate(&stream, Z_NO_FLUSH)
        // Z_BUF_ERROR: no progress was possible (more input is needed).
        guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
            let reason = stream.msg.map { String(cString: $0) } ?? "status \(status)"
            throw CodecFailure(message: "gzip data is corrupt: \(reason)")
        }
        return DecodeStep(
            consumed: Int(available - stream.avail_in), produced: Int(capacity - stream.avail_out),
            ended: status == Z_STREAM_END)
    }

    func restart() throws(CodecFailure) {
        inflateReset(&stream)
    }

    func end() {
        inflateEnd(&stream)
    }
}
