/// Word and character counts over UTF-8 text, as the length filters and statistics define them.
public enum TextMeasure {
    /// Unicode scalars (code points) in valid UTF-8: bytes that are not continuation bytes.
    @inline(__always)
    public static func characters(_ bytes: UnsafeRawBufferPointer) -> Int {
        var n = 0
        for byte in bytes where byte & 0xC0 != 0x80 { n += 1 }
        return n
    }

    /// Words: maximal runs of bytes that are not ASCII white space (like `wc -w`).
    @inline(__always)
    public static func words(_ bytes: UnsafeRawBufferPointer) -> Int {
        var n = 0
        var inWord = false
        for byte in bytes {
            let space = byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
            if !space && !inWord { n += 1 }
            inWord = !space
        }
        return n
    }
}
