#if canImport(Glibc)
    import Glibc
#endif

/// Unbuffered writes to stderr (or another descriptor: the `--diagnostics-file`).
public enum StandardError {
    /// Writes `text` to `descriptor` (fd 2 unless told) as is.
    public static func write(_ text: String, to descriptor: Int32 = 2) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }
}
