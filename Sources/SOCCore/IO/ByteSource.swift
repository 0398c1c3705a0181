#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A stream of raw bytes: a file, stdin, or a decompressor over one of those.
public protocol ByteSource: AnyObject {
    /// Reads up to `buffer.count` bytes; returns 0 at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int
    /// Bytes taken from the underlying file so far (compressed bytes for a decompressor),
    /// so that progress can be shown against the file's size.
    var bytesConsumed: Int { get }
    /// Releases the file descriptor and any decompression state.
    func close()
}

/// Why an input could not be read. These are I/O errors (exit status 3), not data problems.
public struct InputError: Error, CustomStringConvertible, Sendable {
    /// The input's display name (`<stdin>` for standard input).
    public var input: String
    public var message: String
    public init(input: String, message: String) {
        self.input = input
        self.message = message
    }
    public var description: String { "\(input): \(message)" }
}

/// The text of `errno` as a Swift string.
func errnoText(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}

/// Reads a file descriptor with plain read(2) calls.
public final class FileDescriptorSource: ByteSource {
    public let fd: Int32
    let name: String
    let ownsDescriptor: Bool
    public private(set) var bytesConsumed = 0

    public init(fd: Int32, name: String, ownsDescriptor: Bool) {
        self.fd = fd
        self.name = name
        self.ownsDescriptor = ownsDescriptor
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputError) -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 {
                bytesConsumed += n
                return n
            }
            if errno == EINTR { continue }
            throw InputError(input: name, message: "read failed: \(errnoText())")
        }
    }

    public func close() {
        if ownsDescriptor { _ = Glibc.close(fd) }
    }
}
