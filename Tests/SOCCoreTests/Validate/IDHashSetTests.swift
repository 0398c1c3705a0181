import Testing

@testable import SOCCore

/// soc-validate's id set: exact membership, and at most 48 bytes per distinct id, growth included.
@Suite struct IDHashSetTests {
    func hash(_ id: String) -> Key128 {
        var id = id
        return id.withUTF8 { XXH3.hash128(UnsafeRawBufferPointer($0)) }
    }

    @Test func membershipIsExact() {
        let set = IDHashSet(capacity: 16)
        for k in 0..<50_000 { #expect(set.insert(hash("id-\(k)")), "\(k)") }
        for k in stride(from: 0, to: 50_000, by: 7) { #expect(!set.insert(hash("id-\(k)")), "\(k)") }
        #expect(set.count == 50_000)
        // The empty-slot marker is a value like any other.
        #expect(set.insert(Key128(high: 0, low: 0)))
        #expect(!set.insert(Key128(high: 0, low: 0)))
    }

    @Test func atMost48BytesPerDistinctID() {
        // Issue 11: a Set<String> of 32-hex-digit ids took ~125 bytes per id.
        let set = IDHashSet()
        for k in 0..<300_000 {
            _ = set.insert(hash(String(k, radix: 16)))
            if set.count >= 10_000 {
                #expect(set.peakBytes <= 48 * set.count, "\(set.count) ids: \(set.peakBytes) bytes")
            }
        }
        #expect(Double(set.peakBytes) / Double(set.count) <= 44.5)
    }
}
