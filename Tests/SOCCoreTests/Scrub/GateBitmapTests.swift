import SOCTestSupport
import Testing

@testable import SOCCore

/// `GateBitmap` against a byte-by-byte reading of the same bytes: every window of every span
/// (spans of many lengths and places, the AVX2, SSE2 and four-byte passes, spans shorter than
/// 64 bytes at the start of the buffer, windows past the span's end), and `any(from:to:)`
/// against the same bytes.
@Suite struct GateBitmapTests {
    @Test func windowsMatchTheBytes() {
        var numbers = SeededNumbers(state: 83)
        let alphabet = Array("ab:<x\"{}".utf8)
        let gateSets: [[UInt8]] = [
            [UInt8(ascii: ":")], [UInt8(ascii: ":"), UInt8(ascii: "<")], Array(":<x".utf8), Array(":<x{".utf8),
        ]
        var bitmap = GateBitmap()
        var hits = 0
        for round in 0..<600 {
            // The AVX2 pass (where the machine has it) and the SSE2 one, in turn.
            bitmap.avx2 = GateBitmap.hasAVX2() && round % 2 == 0
            let bytes = (0..<(1 + numbers.next(400))).map { _ in alphabet[numbers.next(alphabet.count)] }
            let gates = gateSets[round / 2 % gateSets.count]
            let lower = round % 5 == 0 ? 0 : numbers.next(bytes.count)
            let upper = lower + numbers.next(bytes.count - lower + 1)
            bytes.withUnsafeBytes { raw in
                bitmap.build(
                    raw.baseAddress!, lower..<upper,
                    bytes: (
                        gates[0], gates.count > 1 ? gates[1] : 0, gates.count > 2 ? gates[2] : 0,
                        gates.count > 3 ? gates[3] : 0
                    ), count: gates.count)
                #expect(bitmap.origin == lower)
                bitmap.withBits { bits in
                    for offset in lower..<upper {
                        for count in [0, 1, 7, 63, 64] {
                            var expected: UInt64 = 0
                            for k in 0..<count where offset + k < upper && gates.contains(bytes[offset + k]) {
                                expected |= 1 << UInt64(k)
                            }
                            let found = bits.window(at: offset, count: count)
                            #expect(found == expected, "\(round) \(offset) \(count)")
                            hits += found.nonzeroBitCount
                        }
                        for stop in [offset, offset + 1, offset + 5, offset + 70, upper] where stop <= upper {
                            let expected = bytes[offset..<stop].contains(where: gates.contains)
                            #expect(bits.any(from: offset, to: stop) == expected, "\(round) \(offset) \(stop)")
                        }
                        // Past the span's end (the next 128 bytes) nothing is marked.
                        #expect(bits.window(at: upper + offset % 65, count: 64) == 0)
                    }
                }
            }
        }
        #expect(hits > 10_000)
    }

    @Test func lowMasks() {
        #expect(GateBitmap.Bits.lowMask(0) == 0)
        #expect(GateBitmap.Bits.lowMask(1) == 1)
        #expect(GateBitmap.Bits.lowMask(33) == (1 << 33) - 1)
        #expect(GateBitmap.Bits.lowMask(63) == UInt64.max >> 1)
        #expect(GateBitmap.Bits.lowMask(64) == UInt64.max)
    }
}
