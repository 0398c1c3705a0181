#if canImport(Glibc)
    import Glibc
#endif

/// Why output could not be written.
public enum OutputError: Error, CustomStringConvertible, Sendable {
    /// The reader at the other end of standard output went away (`| head`): stop quietly.
    case brokenPipe
    /// Any other failure (a full disk, `/dev/full`, a permission): an I/O error.
    case failed(target: String, message: String)

    public var description: String {
        switch self {
        case .brokenPipe: return "broken pipe"
        case .failed(let target, let message): return "\(target): \(message)"
        }
    }
}

/// A buffered byte writer to a file descriptor, written in large `write(2)` calls.
///
/// With a path it writes to a temporary file beside the target and renames it into place on
/// `commit()`, so that readers never see a half-written output. A path ending in `.gz`, `.zst`,
/// `.bz2` or `.xz` is written in that format (`OutputEncoder`); stdout never is.
public final class OutputSink {
    private let fd: Int32
    private let name: String
    private let ownsDescriptor: Bool
    private let finalPath: String?
    private let temporaryPath: String?
    private var buffer: UnsafeMutableRawPointer
    private let capacity: Int
    private var used = 0
    private var committed = false
    private var discarded = false
    /// The temporary file's entry in the table the signal handler cleans up.
    private let temporarySlot: Int?
    /// Bytes handed to this sink so far (before compression).
    public private(set) var bytesWritten = 0
    /// The compressor of a file whose name asks for one; it gets the buffer only when full, and
    /// the rest at `finish`, so its input is cut the same way whatever the timing of flushes.
    private var encoder: OutputEncoder?
    private var finished = false

    /// A sink on standard output.
    public static func standardOutput() -> OutputSink {
        Pipes.enlargeBuffer(of: 1)
        return OutputSink(fd: 1, name: "<stdout>", ownsDescriptor: false, finalPath: nil, temporaryPath: nil)
    }

    /// A sink that writes `path` atomically: a temporary file beside it, renamed on `commit()`.
    /// `-` means standard output. A symbolic link is written through (its target is replaced,
    /// the link stays); the file gets the old file's mode, or for a new one 0666 less the umask.
    public static func file(_ path: String) throws(OutputError) -> OutputSink {
        if path == "-" || path == "/dev/stdout" {
            if StandardStreams.outputWasClosed {
                throw .failed(target: "standard output", message: "is closed; give -o FILE for the output")
            }
            return standardOutput()
        }
        if path == "/dev/stderr" {
            return OutputSink(fd: 2, name: path, ownsDescriptor: false, finalPath: nil, temporaryPath: nil)
        }
        // A device, FIFO or socket (/dev/null, a named pipe) is written in place: renaming a
        // temporary file onto it would replace the device itself (as root: /dev/null).
        var status = stat()
        if stat(path, &status) == 0 && status.st_mode & S_IFMT != S_IFREG && status.st_mode & S_IFMT != S_IFDIR {
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .failed(target: path, message: "cannot open: \(errnoText())") }
            let sink = OutputSink(fd: fd, name: path, ownsDescriptor: true, finalPath: nil, temporaryPath: nil)
            sink.encoder = try InputFormat(promisedBy: path)?.makeEncoder(target: path)
            return sink
        }
        // The name as given decides the compression (a link named x.gz to a plain name still gets gzip).
        let encoder = try InputFormat(promisedBy: path)?.makeEncoder(target: path)
        let path = resolvingLinks(path)
        let mode =
            stat(path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
            ? status.st_mode & 0o7777 : 0o666 & ~processUmask
        let directory: String
        let base: String
        if let slash = path.lastIndex(of: "/") {
            directory = String(path[..<slash]).isEmpty ? "/" : String(path[..<slash])
            base = String(path[path.index(after: slash)...])
        } else {
            directory = "."
            base = path
        }
        var template = Array("\(directory)/.\(base).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw .failed(target: path, message: "cannot create a temporary file in \(directory): \(errnoText())")
        }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        _ = fchmod(fd, mode)
        let sink = OutputSink(fd: fd, name: path, ownsDescriptor: true, finalPath: path, temporaryPath: temporary)
        sink.encoder = encoder
        return sink
    }

    /// The process's umask, read once (reading it means setting it, so not from several threads).
    private static let processUmask: mode_t = {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }()

    /// `path`, or for a symbolic link the file it leads to (followed up to 40 links, like the kernel).
    static func resolvingLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return current }
            var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &target, Int(PATH_MAX))
            guard n > 0 else { return current }
            let link = String(decoding: target[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if link.hasPrefix("/") {
                current = link
            } else if let slash = current.lastIndex(of: "/") {
                current = String(current[...slash]) + link
            } else {
                current = link
            }
        }
        return current
    }

    private init(fd: Int32, name: String, ownsDescriptor: Bool, finalPath: String?, temporaryPath: String?) {
        self.fd = fd
        self.name = name
        self.ownsDescriptor = ownsDescriptor
        self.finalPath = finalPath
        self.temporaryPath = temporaryPath
        temporarySlot = temporaryPath.flatMap { TemporaryFiles.register($0) }
        capacity = 1 << 20
        buffer = .allocate(byteCount: capacity, alignment: 64)
    }

    deinit {
        buffer.deallocate()
        guard !committed else { return }
        // Not committed: the run failed, so the target keeps its old content.
        if let temporaryPath, !discarded { unlink(temporaryPath) }
        TemporaryFiles.unregister(temporarySlot)
        if ownsDescriptor { _ = Glibc.close(fd) }
    }

    /// Pieces at least this long go straight to `write(2)` (after what is buffered) instead of
    /// being copied into the buffer first: the writer hands on whole runs of lines this way.
    static let writeThroughBytes = 64 << 10

    /// Appends bytes; flushes when the buffer fills.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        bytesWritten += bytes.count
        if encoder == nil && bytes.count >= Self.writeThroughBytes {
            try flush()
            try writeAll(bytes)
            return
        }
        if used + bytes.count <= capacity {
            if bytes.count > 0 { (buffer + used).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count) }
            used += bytes.count
            return
        }
        if encoder != nil {
            try appendInPieces(bytes)
            return
        }
        try flush()
        if bytes.count >= capacity {
            try writeAll(bytes)
        } else {
            (buffer + used).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            used += bytes.count
        }
    }

    /// A gathered piece is written in place (`writev(2)`, no copy into the buffer) only when
    /// pieces are at least this long on average: for shorter ones the kernel's per-piece work
    /// costs more than the copy.
    static let gatherPieceBytes = 512

    /// Writes `pieces` (together `total` bytes) after what is buffered, in that order: long
    /// pieces straight from where they lie (`writev(2)`), so the writer need not copy lines it
    /// passes on unchanged or that a worker rewrote (soc-scrub changes most chats of a real
    /// file: copying them into the buffer cost 25M instructions and 0.45M cache misses per
    /// 100 MB, callgrind, bench/data/soc_realistic.jsonl, --threads 1). Short pieces, and every
    /// piece of a compressed file, go through the buffer as `write` would take them.
    /// `pieces` may be changed (a partial `writev` moves their starts).
    public func write(gathering pieces: UnsafeMutableBufferPointer<iovec>, total: Int) throws(OutputError) {
        guard encoder == nil, total >= Self.writeThroughBytes, total >= pieces.count * Self.gatherPieceBytes else {
            for piece in pieces {
                try write(UnsafeRawBufferPointer(start: piece.iov_base, count: piece.iov_len))
            }
            return
        }
        bytesWritten += total
        try flush()
        try writeAll(pieces)
    }

    /// Appends bytes from an array.
    public func write(_ bytes: [UInt8]) throws(OutputError) {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(OutputError) in try write(raw) } }
        try result.get()
    }

    /// Appends a string's UTF-8.
    public func write(_ text: String) throws(OutputError) {
        var text = text
        let result = text.withUTF8 { raw in Result { () throws(OutputError) in try write(UnsafeRawBufferPointer(raw)) }
        }
        try result.get()
    }

    /// Appends one byte.
    public func write(byte: UInt8) throws(OutputError) {
        if used == capacity { try flush() }
        buffer.storeBytes(of: byte, toByteOffset: used, as: UInt8.self)
        used += 1
        bytesWritten += 1
    }

    /// For a compressed file: fills the buffer and hands it to the encoder each time it is full.
    private func appendInPieces(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        var offset = 0
        while offset < bytes.count {
            if used == capacity { try flush() }
            let n = min(capacity - used, bytes.count - offset)
            (buffer + used).copyMemory(from: bytes.baseAddress! + offset, byteCount: n)
            used += n
            offset += n
        }
    }

    /// Writes out what is buffered. A compressed file's buffer goes to the encoder only when it
    /// is full (the rest waits for `finish`), so the compressed bytes never depend on when a
    /// flush came.
    public func flush() throws(OutputError) {
        if let encoder {
            guard used == capacity, !discarded, !finished else { return }
            used = 0
            try encode(with: encoder, UnsafeRawBufferPointer(start: buffer, count: capacity), finish: false)
            return
        }
        guard used > 0, !discarded else {
            used = 0
            return
        }
        let pending = UnsafeRawBufferPointer(start: buffer, count: used)
        used = 0
        try writeAll(pending)
    }

    /// Writes out everything: for a compressed file, the last piece and the end of the stream
    /// (nothing may be written after it). `commit` calls it; calling it first lets a run see
    /// every write fail before any file is put in place.
    public func finish() throws(OutputError) {
        guard let encoder else { return try flush() }
        guard !finished, !discarded else { return }
        let last = UnsafeRawBufferPointer(start: buffer, count: used)
        used = 0
        finished = true
        try encode(with: encoder, last, finish: true)
    }

    private func encode(with encoder: OutputEncoder, _ input: UnsafeRawBufferPointer, finish: Bool)
        throws(OutputError)
    {
        try encoder.encode(input, finish: finish) { (compressed) throws(OutputError) in try writeAll(compressed) }
    }

    /// Gives up on the output: its temporary file goes at once (the target keeps its old
    /// content) and nothing more is written. For a run that stops early.
    public func discard() {
        guard !committed else { return }
        used = 0
        discarded = true
        if let temporaryPath { unlink(temporaryPath) }
        TemporaryFiles.unregister(temporarySlot)
    }

    /// Flushes and, for a file, renames the temporary file into place.
    public func commit() throws(OutputError) {
        precondition(!discarded, "a discarded output cannot be committed")
        try finish()
        guard let finalPath, let temporaryPath else { return }
        if ownsDescriptor && Glibc.close(fd) != 0 {
            throw .failed(target: name, message: "close failed: \(errnoText())")
        }
        if rename(temporaryPath, finalPath) != 0 {
            throw .failed(target: name, message: "cannot rename into place: \(errnoText())")
        }
        committed = true
        TemporaryFiles.unregister(temporarySlot)
    }

    /// Pieces one `writev(2)` takes at most (`IOV_MAX`, which Glibc's module does not export).
    static let maximumPieces = 1024

    /// `writeAll` for pieces: `writev(2)` until every byte is out (a partial write moves the
    /// first unfinished piece's start), at most `maximumPieces` a call.
    private func writeAll(_ pieces: UnsafeMutableBufferPointer<iovec>) throws(OutputError) {
        if discarded { return }
        guard let base = pieces.baseAddress else { return }
        var first = 0
        while first < pieces.count {
            if pieces[first].iov_len == 0 {
                first += 1
                continue
            }
            let n = writev(fd, base + first, Int32(min(pieces.count - first, Self.maximumPieces)))
            if n > 0 {
                var left = n
                while left > 0 {
                    let length = pieces[first].iov_len
                    if left >= length {
                        left -= length
                        first += 1
                    } else {
                        pieces[first].iov_base += left
                        pieces[first].iov_len -= left
                        left = 0
                    }
                }
                continue
            }
            try writeFailed(n)
        }
    }

    /// Throws for a failed `write(2)` or `writev(2)` that returned `n`; returns for EINTR (try again).
    private func writeFailed(_ n: Int) throws(OutputError) {
        if n < 0 && errno == EINTR { return }
        if n < 0 && errno == EPIPE {
            // Only the main output on stdout may end the run quietly (`| head`); a side output
            // (--rejects, --audit, ...) whose reader went away would lose lines: an I/O error.
            if fd == 1 { throw .brokenPipe }
            throw .failed(target: name, message: "write failed: the reader of this pipe went away")
        }
        throw .failed(target: name, message: "write failed: \(n < 0 ? errnoText() : "no progress")")
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        if discarded { return }
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n > 0 {
                offset += n
                continue
            }
            try writeFailed(n)
        }
    }
}
