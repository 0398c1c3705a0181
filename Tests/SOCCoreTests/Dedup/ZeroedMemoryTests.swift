import Testing

@testable import SOCCore

@Suite struct ZeroedMemoryTests {
    /// Writes a pattern over the first `count` bytes.
    func fill(_ memory: ZeroedMemory, _ count: Int) {
        for k in 0..<count {
            memory.base.storeBytes(of: UInt8(truncatingIfNeeded: k &* 31 &+ 7), toByteOffset: k, as: UInt8.self)
        }
    }

    func holds(_ memory: ZeroedMemory, pattern count: Int) -> Bool {
        for k in 0..<memory.byteCount {
            let expected = k < count ? UInt8(truncatingIfNeeded: k &* 31 &+ 7) : 0
            if memory.base.load(fromByteOffset: k, as: UInt8.self) != expected { return false }
        }
        return true
    }

    @Test func growingKeepsTheBytesAndZeroesTheRest() {
        // calloc, realloc, calloc to a huge-page mapping, mremap of the mapping.
        var memory = ZeroedMemory(byteCount: 100)
        #expect(holds(memory, pattern: 0))
        var written = 0
        for size in [100, 300_000, 700_000, 1_500_000, 3_000_000, 9_000_000] {
            memory.grow(to: size)
            #expect(memory.byteCount == size)
            #expect(holds(memory, pattern: written), "grown to \(size)")
            fill(memory, size / 2)
            written = size / 2
        }
        memory.release()
    }
}
