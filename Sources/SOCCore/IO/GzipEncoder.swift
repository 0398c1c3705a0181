import CZlib

/// gzip at level 6 (gzip's default), with a header that holds no name and a zero time (as
/// `gzip -n`) and the Unix system code, so the bytes do not depend on when or where it ran.
final class GzipEncoder: OutputEncoder {
    private var stream = z_stream()
    private let header: UnsafeMutablePointer<gz_header>
    private let out: UnsafeMutableRawBufferPointer
    private let target: String

    init(target: String) throws(OutputError) {
        self.target = target
        // 15 + 16: a 32 KiB window with a gzip (not zlib) wrapper; memory level 8 as gzip.
        let status = deflateInit2_(
            &stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw .failed(target: target, message: "cannot start gzip compression") }
        header = .allocate(capacity: 1)
        header.initialize(to: gz_header())
        // zlib would write its build's OS code; 3 (Unix) everywhere keeps the bytes the same on any machine.
        header.pointee.os = 3
        deflateSetHeader(&stream, header)
        out = .allocate(byteCount: encoderChunkBytes, alignment: 16)
    }

    deinit {
        deflateEnd(&stream)
        header.deallocate()
        out.deallocate()
    }

    func encode(
        _ input: UnsafeRawBufferPointer, finish: Bool, emit: (UnsafeRawBufferPointer) throws(OutputError) -> Void
    ) throws(OutputError) {
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        while true {
            stream.next_out = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(out.count)
            let status = deflate(&stream, finish ? Z_FINISH : Z_NO_FLUSH)
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                throw .failed(target: target, message: "gzip compression failed (zlib status \(status))")
            }
            let made = out.count - Int(stream.avail_out)
            if made > 0 { try emit(UnsafeRawBufferPointer(rebasing: out[0..<made])) }
            if finish ? status == Z_STREAM_END : (stream.avail_in == 0 && stream.avail_out > 0) { return }
        }
    }
}
