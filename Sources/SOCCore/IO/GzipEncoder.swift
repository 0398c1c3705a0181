import CZlib

/// gzip at level 6 (gzip's default), with a header that holds no name and a zero time (as
/// `gzip -n`) and the Unix system code, so the bytes do not depend on when or where it ran.
final class GzipEncoder: StreamEncoder {
    private var stream = z_stream()
    private let header: UnsafeMutablePointer<gz_header>

    init() throws(CodecFailure) {
        // 15 + 16: a 32 KiB window with a gzip (not zlib) wrapper; memory level 8 as gzip.
        let status = deflateInit2_(
            &stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw CodecFailure(message: "cannot start gzip compression") }
        header = .allocate(capacity: 1)
        header.initialize(to: gz_header())
        // zlib would write its build's OS code; 3 (Unix) everywhere keeps the bytes the same on any machine.
        header.pointee.os = 3
        deflateSetHeader(&stream, header)
    }

    deinit {
        deflateEnd(&stream)
        header.deallocate()
    }

    func encode(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, finish: Bool)
        throws(CodecFailure) -> EncodeStep
    {
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        stream.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(output.count)
        let status = deflate(&stream, finish ? Z_FINISH : Z_NO_FLUSH)
        // Z_BUF_ERROR: nothing to do until more input comes.
        guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
            throw CodecFailure(message: "gzip compression failed (zlib status \(status))")
        }
        return EncodeStep(
            consumed: input.count - Int(stream.avail_in), produced: output.count - Int(stream.avail_out),
            ended: status == Z_STREAM_END)
    }
}
