#if canImport(Glibc)
    import Glibc
#endif

/// Unbuffered writes to stderr, which may carry a status line (the progress meter on a terminal).
///
/// A status line is drawn in place (`\r`, no newline); any other write clears it first, so a
/// diagnostic printed while progress is shown starts on a clean line instead of being glued to
/// the end of the progress text. The next status line draws it again.
public enum StandardError {
    private nonisolated(unsafe) static var lock = pthread_mutex_t()
    private nonisolated(unsafe) static var statusShown = false

    /// Carriage return, then erase to the end of the line.
    private static let clearLine = "\r\u{1B}[K"

    /// Writes `text` to fd 2 as is, after clearing a status line if one is shown.
    public static func write(_ text: String) {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        if statusShown {
            statusShown = false
            writeAll(clearLine)
        }
        writeAll(text)
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

    private static func writeAll(_ text: String) {
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
