#if canImport(Glibc)
    import Glibc
#endif

/// One input as the user named it: a path, or `-` for standard input.
public struct InputFile: Sendable, Hashable {
    /// The path as given on the command line (`-` for stdin).
    public let path: String

    public init(_ path: String) { self.path = path }

    /// True for standard input.
    public var isStandardInput: Bool { path == "-" }

    /// The name diagnostics use: the path, or `<stdin>`.
    public var displayName: String { isStandardInput ? "<stdin>" : path }

    /// Opens the input, decompressing `.gz` and `.zst` files by their extension.
    public func open() throws(InputError) -> ByteSource {
        let raw: FileDescriptorSource
        if isStandardInput {
            Pipes.enlargeBuffer(of: 0)
            raw = FileDescriptorSource(fd: 0, name: displayName, ownsDescriptor: false)
        } else {
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw InputError(input: path, message: "cannot open: \(errnoText())") }
            var info = stat()
            if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
                _ = Glibc.close(fd)
                throw InputError(input: path, message: "is a directory")
            }
            raw = FileDescriptorSource(fd: fd, name: path, ownsDescriptor: true)
        }
        if path.hasSuffix(".gz") { return try GzipSource(inner: raw, name: displayName) }
        if path.hasSuffix(".zst") || path.hasSuffix(".zstd") { return try ZstdSource(inner: raw, name: displayName) }
        return raw
    }

    /// The file's size in bytes when it is a regular file, for progress; nil for pipes.
    public var size: Int? {
        if isStandardInput { return nil }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }
}

/// Pipe tuning shared by readers and writers.
public enum Pipes {
    /// Linux's F_SETPIPE_SZ (not exported by Glibc's module).
    static let setPipeSize: Int32 = 1031

    /// Asks for a 1 MiB pipe buffer when `fd` is a pipe, so that large writes and reads need
    /// fewer context switches. Best effort: the kernel may refuse, which is fine.
    public static func enlargeBuffer(of fd: Int32) {
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFIFO else { return }
        _ = fcntl(fd, setPipeSize, Int32(1 << 20))
    }
}
