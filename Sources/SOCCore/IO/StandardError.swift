#if canImport(Glibc)
    import Glibc
#endif

/// Unbuffered writes to stderr.
public enum StandardError {
    /// Writes `text` to fd 2 as is.
    public static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let n = Glibc.write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if n <= 0 {
                    if n < 0 && errno == EINTR { continue }
                    return
                }
                offset += n
            }
        }
    }
}
