import Testing

@testable import SOCCore

extension DistinctCounterTests {
    /// Room reserved before a batch of additions changes no figure: the same counter as without
    /// it, exact below the limit, overflowing at the same value past it.
    @Test func reserveKeepsTheFigures() {
        for limit in [100, 1 << 20] {
            var plain = DistinctCounter(exactLimit: limit)
            var reserved = DistinctCounter(exactLimit: limit)
            for batch in 0..<6 {
                reserved.reserve(40 * batch)
                for k in 0..<(40 * batch) {
                    let hash = UInt64(k * 2_654_435_761 + batch % 2) &* 0x9E37_79B9_7F4A_7C15
                    plain.add(hash: hash, times: 1 + k % 3)
                    reserved.add(hash: hash, times: 1 + k % 3)
                }
                #expect(reserved == plain)
                #expect(reserved.isExact == plain.isExact)
                #expect(reserved.distinct == plain.distinct)
                #expect(reserved.exactHashes == plain.exactHashes)
            }
            #expect(plain.isExact == (limit > 100))
        }
    }
}

extension DistinctCounterTests {
    /// Merging takes the register-wise maximum (the sketch of the union), the same as a sketch
    /// fed every value, and keeps the exact figure while the union fits.
    @Test func mergeTakesTheRegisterMaximum() {
        var a = DistinctCounter()
        var b = DistinctCounter()
        var whole = DistinctCounter()
        for k in 0..<3000 {
            let hash = UInt64(k) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(k >> 3)
            if k % 3 == 0 { b.add(hash: hash) } else { a.add(hash: hash) }
            whole.add(hash: hash)
        }
        let expected = zip(a.registers, b.registers).map { Swift.max($0, $1) }
        a.merge(b)
        #expect(a.registers == expected)
        #expect(a.registers == whole.registers)
        #expect(a.distinct == whole.distinct)
        #expect(a.seen == whole.seen)
    }
}
