/// A source whose first bytes were read ahead, so that the input's format can be told from its
/// content before any line is taken; it then hands those bytes out again, followed by the rest.
///
/// With `refuseBinary` it also watches the first 4 KiB of what it hands out for a NUL byte,
/// which JSON text never holds raw: binary data is an input error, not thousands of bad lines.
final class HeadSource: ByteSource {
    private let inner: ByteSource
    private let name: String
    private let head: UnsafeMutableRawBufferPointer
    /// Bytes read ahead, and how many of them were handed out.
    private var headCount = 0
    private var headTaken = 0
    /// Bytes handed out so far.
    private var offset = 0
    private var watchesForNul = false
    private var decompressed = InputFormat.plain
    private var path = "-"

    /// Reads ahead at least `InputFormat.magicLength` bytes (fewer only at the end of the input);
    /// a regular file gives the whole first 4 KiB in one read.
    init(inner: ByteSource, name: String) throws(InputError) {
        self.inner = inner
        self.name = name
        head = .allocate(byteCount: BinaryInput.windowBytes, alignment: 16)
        do {
            while headCount < InputFormat.magicLength {
                let n = try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: head[headCount...]))
                if n == 0 { break }
                headCount += n
            }
        } catch {
            head.deallocate()
            throw error
        }
    }

    /// The bytes read ahead.
    var peeked: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: head[0..<headCount]) }

    /// Throws when the content is a known binary format or holds a NUL byte in its first 4 KiB
    /// (those read ahead now, the rest as it is read). `format` is the compression it came out of.
    func refuseBinary(path: String, decompressedFrom format: InputFormat) throws(InputError) {
        decompressed = format
        self.path = path
        if let binary = BinaryInput.recognize(peeked, path: path) {
            throw binary.error(input: name, decompressed: format)
        }
        watchesForNul = true
        try checkForNul(peeked, at: 0)
    }

    private func checkForNul(_ bytes: UnsafeRawBufferPointer, at start: Int) throws(InputError) {
        guard watchesForNul, start < BinaryInput.windowBytes else { return }
        let window = UnsafeRawBufferPointer(rebasing: bytes[0..<min(bytes.count, BinaryInput.windowBytes - start)])
        if let index = window.firstIndex(of: 0) {
            throw BinaryInput.nulByte(at: start + index, path: path).error(input: name, decompressed: decompressed)
        }
    }

    var bytesConsumed: Int { inner.bytesConsumed }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        let n: Int
        if headTaken < headCount {
            n = min(buffer.count, headCount - headTaken)
            buffer.baseAddress!.copyMemory(from: head.baseAddress! + headTaken, byteCount: n)
            headTaken += n
        } else {
            n = try inner.read(into: buffer)
            // The read-ahead bytes were checked by refuseBinary; these are new.
            try checkForNul(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), at: offset)
        }
        offset += n
        return n
    }

    func close() {
        head.deallocate()
        inner.close()
    }
}
