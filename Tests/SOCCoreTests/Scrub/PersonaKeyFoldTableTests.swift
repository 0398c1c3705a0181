import Testing

@testable import SOCCore

/// `PersonaKey.twoByteFoldTable` is written out: each entry must be what `foldScalar` (the
/// definition) gives for its scalar, packed as `appendFolded` reads it.
@Suite struct PersonaKeyFoldTableTests {
    @Test func everyEntryIsFoldScalar() {
        #expect(PersonaKey.twoByteFoldTable.count == 0x800 - 0x80)
        for value in 0x80..<0x800 {
            var out: [UInt8] = []
            let composes = PersonaKey.foldScalar(Unicode.Scalar(UInt32(value))!, into: &out)
            let entry = PersonaKey.twoByteFoldTable[value - 0x80]
            let count = Int(entry >> 48 & 0xFF)
            var packed = entry & 0xFFFF_FFFF
            var bytes: [UInt8] = []
            for _ in 0..<count {
                bytes.append(UInt8(truncatingIfNeeded: packed))
                packed >>= 8
            }
            #expect(out.count <= 4, "U+\(String(value, radix: 16))")
            #expect(bytes == out, "U+\(String(value, radix: 16))")
            #expect((entry >> 56 & 1 != 0) == composes, "U+\(String(value, radix: 16))")
            #expect(entry & 0xFFFF_0000_0000 == 0 && entry >> 57 == 0, "U+\(String(value, radix: 16))")
        }
    }
}
