import SOCTestSupport
import Testing

@testable import SOCCore

/// `TokenBlock`'s lane masks (one `pmovmskb` each through CSystem's `soc_high_bits16`) against
/// the lane-by-lane definition.
@Suite struct TokenBlockTests {
    /// Bit k set where `test` holds for byte k.
    static func lanes(_ bytes: [UInt8], _ test: (UInt8) -> Bool) -> UInt32 {
        var bits: UInt32 = 0
        for (k, byte) in bytes.enumerated() where test(byte) { bits |= 1 << UInt32(k) }
        return bits
    }

    static func isWord(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    static func check(_ bytes: [UInt8]) {
        let vector = SIMD16<UInt8>(bytes)
        for (escaped, quoted) in [(false, false), (true, false), (false, true), (true, true)] {
            let block = TokenBlock(vector, escaped: escaped, quoted: quoted)
            #expect(block.words == Self.lanes(bytes, Self.isWord), "\(bytes)")
            #expect(
                block.stops == Self.lanes(bytes) { $0 >= 0x80 || (escaped && $0 == 0x5C) || (quoted && $0 == 0x22) },
                "\(bytes)")
            for k in 0..<16 where Self.isWord(bytes[k]) {
                #expect(block.mapped[k] == (bytes[k] < 0x41 || bytes[k] > 0x5A ? bytes[k] : bytes[k] + 32))
            }
        }
    }

    @Test func everyByteInEveryLaneFollowsTheDefinition() {
        for byte in 0...255 {
            for lane in 0..<16 {
                var bytes = [UInt8](repeating: 0x41, count: 16)
                bytes[lane] = UInt8(byte)
                Self.check(bytes)
            }
        }
    }

    @Test func randomBlocksFollowTheDefinition() {
        var generator = SeededNumbers(state: 4_242)
        for _ in 0..<5000 {
            Self.check((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
        }
    }
}
