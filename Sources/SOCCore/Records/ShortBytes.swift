/// Equality of a few bytes (a key or tag name) with a literal, by machine words where they lie.
///
/// `elementsEqualBytes` calls memcmp, whose call costs more than comparing a key of 2 to 16
/// bytes: the keys every record is walked by (`sender`, `messages`, a persona's members) were
/// a memcmp call each. Two loads of each side cover any length from 4 to 16 (overlapping in
/// the middle), so no byte outside either buffer is read.
extension UnsafeRawBufferPointer {
    /// True when these bytes are the UTF-8 of `text` (as `elementsEqualBytes(text)`).
    @inline(__always)
    public func equalsShort(_ text: StaticString) -> Bool {
        let n = text.utf8CodeUnitCount
        guard count == n else { return false }
        guard n > 0, let a = baseAddress else { return true }
        let b = UnsafeRawPointer(text.utf8Start)
        switch n {
        case 1...3:
            for k in 0..<n {
                if a.load(fromByteOffset: k, as: UInt8.self) != b.load(fromByteOffset: k, as: UInt8.self) {
                    return false
                }
            }
            return true
        case 4...7:
            return a.loadUnaligned(as: UInt32.self) == b.loadUnaligned(as: UInt32.self)
                && a.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
                    == b.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
        case 8...16:
            return a.loadUnaligned(as: UInt64.self) == b.loadUnaligned(as: UInt64.self)
                && a.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
                    == b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
        default:
            return elementsEqualBytes(text)
        }
    }
}
