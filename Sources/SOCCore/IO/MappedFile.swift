#if canImport(Glibc)
    import Glibc
#endif

/// A regular file read through mmap(2) windows instead of read(2): `LineReader` finds lines in
/// the page cache's own pages, and work units point into them, so the serial reader copies no
/// byte (read(2) copied every byte into the reader's buffer, and the reader copied it again into
/// a batch). Windows are mapped one after another as the reader goes, each starting where the
/// line that did not fit the previous one starts, and unmapped when the last unit that points
/// into them is done: memory holds a few windows, not the file.
///
/// If another program truncates the file while it is mapped, touching the lost pages raises
/// SIGBUS: the shared main (`ToolMain`) turns that into an I/O error (exit status 3) that
/// names the cause, with no output committed.
public final class MappedFile: ByteSource {
    /// The bytes a window usually covers (more when a line is longer).
    let windowBytes: Int
    /// Set `SOC_READ=read` in the environment to read every input with read(2) instead (to
    /// compare the two paths, or for a file system where mmap misbehaves).
    static let isEnabled: Bool = {
        guard let value = getenv("SOC_READ") else { return true }
        return String(cString: value) != "read"
    }()

    private let fd: Int32
    let name: String
    /// The file's size when it was opened; bytes appended later are not read.
    public let size: Int
    /// End of the furthest window mapped (for progress), or of what `read` returned.
    public private(set) var bytesConsumed = 0
    private var readOffset = 0

    /// Takes its own descriptor on the file (a dup of `fd`), so the caller may close `fd`;
    /// `size` is the file's size now. Windows of 16 MiB unless told (tests use tiny ones).
    init?(duplicating fd: Int32, size: Int, name: String, windowBytes: Int = 16 << 20) {
        let own = dup(fd)
        guard own >= 0 else { return nil }
        self.fd = own
        self.size = size
        self.name = name
        self.windowBytes = max(1, windowBytes)
        DiagnosticChannel.shared.prepareSignalFailure(
            "\(name): the input file shrank while it was read (SIGBUS); nothing was committed")
    }

    /// Maps `length` bytes from `offset` (any offset: the mapping starts at the page before it).
    func window(at offset: Int, length: Int) throws(InputError) -> MappedWindow {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let aligned = offset - offset % page
        let mappedLength = length + (offset - aligned)
        // No MAP_POPULATE: mapping a 16 MiB window's pages in one go took ~1 ms, in one piece, on
        // the thread holding the reading role, and since the thread that reads a unit decides
        // it (`UnitScheduler.submit`) no unit read ahead kept the other threads busy meanwhile:
        // soc-filter --threads 2 ran ~3% slower. Faulted in as the reader's line scan reaches
        // them (64 KiB at a time), the pages cost about as much, spread over the reads.
        guard
            let base = mmap(nil, mappedLength, PROT_READ, MAP_PRIVATE, fd, off_t(aligned)),
            base != MAP_FAILED
        else {
            throw InputError(input: name, message: "cannot map the file: \(errnoText())")
        }
        _ = madvise(base, mappedLength, MADV_SEQUENTIAL)
        bytesConsumed = max(bytesConsumed, offset + length)
        return MappedWindow(base: base, mappedLength: mappedLength, bytes: UnsafeRawPointer(base + (offset - aligned)))
    }

    /// Reads with pread(2), for a caller that wants the bytes copied (not the line reader).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        while true {
            let n = pread(fd, buffer.baseAddress, min(buffer.count, max(0, size - readOffset)), off_t(readOffset))
            if n >= 0 {
                readOffset += n
                bytesConsumed = max(bytesConsumed, readOffset)
                return n
            }
            if errno == EINTR { continue }
            throw InputError(input: name, message: "read failed: \(errnoText())")
        }
    }

    public func close() { _ = Glibc.close(fd) }
}

/// One mapped range of a `MappedFile`; unmapped when the last holder lets it go.
final class MappedWindow {
    private let base: UnsafeMutableRawPointer
    private let mappedLength: Int
    /// The first byte asked for.
    let bytes: UnsafeRawPointer

    init(base: UnsafeMutableRawPointer, mappedLength: Int, bytes: UnsafeRawPointer) {
        self.base = base
        self.mappedLength = mappedLength
        self.bytes = bytes
    }

    deinit { munmap(base, mappedLength) }
}
