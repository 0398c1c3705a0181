#if canImport(Glibc)
    import Glibc
#endif

/// Unbuffered writes to stderr (or another descriptor: the `--diagnostics-file`); stderr may carry a status line (the progress meter on a terminal).
///
/// A status line is drawn in place (`\r`, no newline); any other write clears it first, so a
/// diagnostic printed while progress is shown starts on a clean line instead of being glued to
/// the end of the progress text. The next status line draws it again.
public enum StandardError {
    private nonisolated(unsafe) static var lock = pthread_mutex_t()
    private nonisolated(unsafe) static var statusShown = false

    /// Carriage return, then erase to the end of the line.
    private static let clearLine = "\r\u{1B}[K"

    /// Writes `text` to `descriptor` (fd 2 unless told) as is, after clearing a status line on
    /// stderr if one is shown.
    public static func write(_ text: String, to descriptor: Int32 = 2) {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        if statusShown && descriptor == 2 {
            statusShown = false
            writeAll(clearLine)
        }
        writeAll(text, to: descriptor)
    }

    /// Shows `line` (one line, no newline) as the status line, replacing the previous one.
    static func showStatus(_ line: String) {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        statusShown = true
        writeAll("\r" + line + "\u{1B}[K")
    }

    /// Clears the status line, if one is shown.
    static func clearStatus() {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        guard statusShown else { return }
        statusShown = false
        writeAll(clearLine)
    }

    private static func writeAll(_ text: String, to descriptor: Int32 = 2) {
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
