#if canImport(Glibc)
    import Glibc
#endif

extension UnsafeRawBufferPointer {
    /// The one byte equality of the code base: the same length and the same bytes (memcmp).
    public func elementsEqualBytes(_ other: UnsafeRawBufferPointer) -> Bool {
        count == other.count && (count == 0 || memcmp(baseAddress!, other.baseAddress!, count) == 0)
    }

    /// True when these bytes are the UTF-8 of `text` (a key name, a tag name).
    public func elementsEqualBytes(_ text: StaticString) -> Bool {
        elementsEqualBytes(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }
}
