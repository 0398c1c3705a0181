import CZlib
import CZstd

/// Decompresses gzip (one or several concatenated members, as `cat a.gz b.gz` makes) with zlib.
final class GzipSource: ByteSource {
    private let inner: ByteSource
    private let name: String
    private var stream = z_stream()
    private let input: UnsafeMutableRawBufferPointer
    private var finishedMember = false
    private var memberOpen = false
    private var atEnd = false
    private var sawInput = false

    init(inner: ByteSource, name: String) throws(InputError) {
        self.inner = inner
        self.name = name
        input = .allocate(byteCount: 1 << 20, alignment: 16)
        // 15 + 32: any window size, gzip or zlib header detected automatically.
        let status = inflateInit2_(&stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            input.deallocate()
            throw InputError(input: name, message: "cannot start gzip decompression (zlib status \(status))")
        }
    }

    var bytesConsumed: Int { inner.bytesConsumed }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if atEnd { return 0 }
        let capacity = uInt(min(buffer.count, Int(UInt32.max)))
        stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = capacity
        while stream.avail_out == capacity {
            if stream.avail_in == 0 {
                let n = try inner.read(into: input)
                if n == 0 {
                    if memberOpen { throw InputError(input: name, message: "gzip stream is truncated") }
                    // A .gz name promises gzip: an empty file is not an empty stream (gzip -t agrees).
                    if !sawInput { throw InputError(input: name, message: "not in gzip format: the file is empty") }
                    atEnd = true
                    break
                }
                if !sawInput {
                    sawInput = true
                    // Only gzip's magic, as gzip -t: zlib's auto-detection would also take a zlib stream.
                    guard input[0] == 0x1F, n < 2 || input[1] == 0x8B else {
                        throw InputError(input: name, message: "not in gzip format")
                    }
                }
                stream.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_in = uInt(n)
            }
            if finishedMember {
                // Another gzip member follows the one that ended.
                inflateReset(&stream)
                finishedMember = false
            }
            memberOpen = true
            let status = inflate(&stream, Z_NO_FLUSH)
            if status == Z_STREAM_END {
                finishedMember = true
                memberOpen = false
            } else if status != Z_OK && status != Z_BUF_ERROR {
                let reason = stream.msg.map { String(cString: $0) } ?? "status \(status)"
                throw InputError(input: name, message: "gzip data is corrupt: \(reason)")
            }
        }
        return Int(capacity - stream.avail_out)
    }

    func close() {
        inflateEnd(&stream)
        input.deallocate()
        inner.close()
    }
}

/// Decompresses zstd frames (one or several) with libzstd's streaming API.
final class ZstdSource: ByteSource {
    private let inner: ByteSource
    private let name: String
    private let context: OpaquePointer
    private let input: UnsafeMutableRawBufferPointer
    private var inBuffer = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
    private var frameOpen = false
    private var atEnd = false
    private var sawInput = false

    init(inner: ByteSource, name: String) throws(InputError) {
        self.inner = inner
        self.name = name
        guard let dctx = ZSTD_createDCtx() else {
            throw InputError(input: name, message: "cannot start zstd decompression")
        }
        context = dctx
        input = .allocate(byteCount: ZSTD_DStreamInSize(), alignment: 16)
    }

    var bytesConsumed: Int { inner.bytesConsumed }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        if atEnd { return 0 }
        var out = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
        while out.pos == 0 {
            if inBuffer.pos == inBuffer.size {
                let n = try inner.read(into: input)
                if n == 0 {
                    if frameOpen { throw InputError(input: name, message: "zstd stream is truncated") }
                    // A .zst name promises zstd: an empty file is not an empty stream (zstd -t agrees).
                    if !sawInput { throw InputError(input: name, message: "not in zstd format: the file is empty") }
                    atEnd = true
                    break
                }
                if !sawInput {
                    sawInput = true
                    // A zstd frame (28 B5 2F FD) or a skippable frame (5x 2A 4D 18).
                    let frame = n >= 4 && input[0] == 0x28 && input[1] == 0xB5 && input[2] == 0x2F && input[3] == 0xFD
                    let skippable =
                        n >= 4 && input[0] & 0xF0 == 0x50 && input[1] == 0x2A && input[2] == 0x4D && input[3] == 0x18
                    guard frame || skippable || n < 4 else {
                        throw InputError(input: name, message: "not in zstd format")
                    }
                }
                inBuffer = ZSTD_inBuffer(src: UnsafeRawPointer(input.baseAddress), size: n, pos: 0)
            }
            let hint = ZSTD_decompressStream(context, &out, &inBuffer)
            if ZSTD_isError(hint) != 0 {
                let reason = String(cString: ZSTD_getErrorName(hint))
                throw InputError(input: name, message: "zstd data is corrupt: \(reason)")
            }
            frameOpen = hint != 0
        }
        return out.pos
    }

    func close() {
        ZSTD_freeDCtx(context)
        input.deallocate()
        inner.close()
    }
}
