// Shared by every fuzz target (compiled into each one).

/// Fails the run: libFuzzer reports the input that got here as a crash.
func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("fuzz invariant broken: \(message())") }
}

/// Reads fuzz input as a few control values then the rest.
struct FuzzInput {
    let bytes: [UInt8]
    var position = 0

    init(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        bytes = size > 0 && data != nil ? Array(UnsafeBufferPointer(start: data, count: size)) : []
    }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    /// The bytes up to the next `separator` (or the end).
    mutating func field(separator: UInt8 = 0) -> [UInt8] {
        guard position < bytes.count else { return [] }
        let end = bytes[position...].firstIndex(of: separator) ?? bytes.count
        defer { position = min(end + 1, bytes.count) }
        return Array(bytes[position..<end])
    }

    var rest: [UInt8] { Array(bytes[min(position, bytes.count)...]) }
}
