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

    /// Opens the input. A name that promises a compression (`.gz`, `.zst`, `.bz2`, `.xz`) is
    /// decompressed as that format and must hold it; any other input (stdin included) is
    /// decompressed when its first bytes are gzip, zstd, bzip2 or xz magic. Content that is
    /// binary (Parquet, a zip archive, a NUL byte in the first 4 KiB) is an input error that
    /// says what it looks like and how to convert it.
    public func open() throws(InputError) -> ByteSource {
        let raw: FileDescriptorSource
        var regularSize: Int?
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
            if (info.st_mode & S_IFMT) == S_IFREG { regularSize = Int(info.st_size) }
            raw = FileDescriptorSource(fd: fd, name: path, ownsDescriptor: true)
        }
        var source: ByteSource = raw
        do throws(InputError) {
            let format: InputFormat
            if let promised = InputFormat(promisedBy: path) {
                format = promised
            } else {
                let head = try HeadSource(inner: raw, name: displayName)
                source = head
                format = InputFormat.sniff(head.peeked)
            }
            if format != .plain { source = try decompressor(format, over: source) }
            let content: HeadSource
            if let head = source as? HeadSource {
                content = head
            } else {
                content = try HeadSource(inner: source, name: displayName)
            }
            source = content
            try content.refuseBinary(path: path, decompressedFrom: format)
            // A plain regular file is read in place through mmap(2), once its first bytes passed
            // the checks above (a file of 4 KiB or less was read whole for them).
            if format == .plain, let size = regularSize, size > 0, MappedFile.isEnabled,
                content.peeked.count >= min(size, BinaryInput.windowBytes),
                let mapped = MappedFile(duplicating: raw.fd, size: size, name: displayName)
            {
                content.close()
                return mapped
            }
            return content
        } catch {
            source.close()
            throw error
        }
    }

    private func decompressor(_ format: InputFormat, over source: ByteSource) throws(InputError) -> ByteSource {
        do throws(CodecFailure) {
            switch format {
            case .plain: return source
            case .gzip: return DecompressingSource(inner: source, name: displayName, decoder: try GzipDecoder())
            case .zstd: return DecompressingSource(inner: source, name: displayName, decoder: try ZstdDecoder())
            case .bzip2: return DecompressingSource(inner: source, name: displayName, decoder: try Bzip2Decoder())
            case .xz: return DecompressingSource(inner: source, name: displayName, decoder: try XzDecoder())
            }
        } catch {
            throw InputError(input: displayName, message: error.message)
        }
    }

    /// The file's size in bytes when it is a regular file, for progress; nil for pipes.
    public var size: Int? {
        if isStandardInput { return nil }
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(info.st_size)
    }

    /// The whole input, decompressed like any input (`soc-stats merge` reads `-o s.json.zst`
    /// shards this way); for small files only, as it holds every byte.
    public func readAll() throws(InputError) -> [UInt8] {
        let source = try open()
        defer { source.close() }
        var bytes: [UInt8] = []
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
        defer { chunk.deallocate() }
        while true {
            let n = try source.read(into: chunk)
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
        }
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
