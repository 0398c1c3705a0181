import Testing

@testable import SOCCore

#if canImport(Glibc)
    import Glibc
#endif

/// The vector `ChatChecks.needsNoInspection` against the memchr walk it replaced: never a yes
/// where the walk said no (a yes skips the message), and the same answer unless a `\u003`
/// follows an escaped backslash (where the vector form says no, at the cost of an unescaping).
@Suite struct NeedsNoInspectionTests {
    /// The walk before (ChatChecks.swift at 8037178).
    static func reference(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard let base = raw.baseAddress, raw.count > 0 else { return false }
        let first = raw[0]
        guard first != UInt8(ascii: "\\"), first < 0x80, !ChatChecks.isSpace(first) else { return false }
        let n = raw.count
        if memchr(base, Int32(UInt8(ascii: "<")), n) != nil { return false }
        var i = 0
        while i < n, let hit = memchr(base + i, Int32(UInt8(ascii: "\\")), n - i) {
            let k = base.distance(to: UnsafeRawPointer(hit))
            if k + 4 < n && raw[k + 1] == UInt8(ascii: "u") && raw[k + 2] == UInt8(ascii: "0")
                && raw[k + 3] == UInt8(ascii: "0") && raw[k + 4] == UInt8(ascii: "3")
            {
                return false
            }
            i = k + 2
        }
        return true
    }

    @Test func agreesWithTheWalk() {
        let pieces = [
            "a", "Hi", " ", "\\u00e9", "\\ud83c\\udf19", "<", "\\u003c", "\\u003e", "\\u0030", "\\\\", "\\\\u003c",
            "\\n", "\\\"", "xyz", "é", "\\u003",
        ]
        var generator = SystemRandomNumberGenerator()
        var checked = 0
        for length in 0..<48 {
            for _ in 0..<400 {
                var text = ""
                while text.utf8.count < length { text += pieces.randomElement(using: &generator)! }
                let bytes = Array(text.utf8)
                bytes.withUnsafeBytes { raw in
                    let fast = ChatChecks.needsNoInspection(raw)
                    let walk = Self.reference(raw)
                    if fast {
                        #expect(walk, "\(text)")
                    } else if walk {
                        #expect(text.contains("\\\\u003"), "\(text)")
                    }
                    checked += 1
                }
            }
        }
        #expect(checked == 48 * 400)
    }

    /// A `<` or `\u003` at every position of texts around the block sizes.
    @Test(arguments: [19, 20, 21, 35, 36, 37, 52, 64])
    func findsATagByteAnywhere(length: Int) {
        for position in 1..<length {
            for needle in ["<", "\\u003c"] where position + needle.utf8.count <= length {
                var bytes = Array(repeating: UInt8(ascii: "a"), count: length)
                bytes.replaceSubrange(position..<position + needle.utf8.count, with: Array(needle.utf8))
                bytes.withUnsafeBytes { raw in
                    #expect(!ChatChecks.needsNoInspection(raw), "\(length) \(position) \(needle)")
                    #expect(!Self.reference(raw))
                }
            }
            let plain = Array(repeating: UInt8(ascii: "a"), count: length)
            plain.withUnsafeBytes { #expect(ChatChecks.needsNoInspection($0)) }
        }
    }
}
