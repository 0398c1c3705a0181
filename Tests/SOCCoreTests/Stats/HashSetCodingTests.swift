import SOCTestSupport
import Testing

@testable import SOCCore

/// The compact text form of exact hash sets in the stats JSON.
@Suite struct HashSetCodingTests {
    @Test func roundTripsAnySet() {
        // Seeded, so a failing set can be made again.
        var generator = SeededNumbers(state: 0x5eed_5e75)
        for size in [0, 1, 2, 3, 100, 5_000] {
            var set = Set((0..<size).map { _ in UInt64.random(in: .min ... .max, using: &generator) })
            if size > 2 { set.formUnion([0, 1, .max]) }
            let text = HashSetCoding.encode(set)
            #expect(HashSetCoding.decode(text) == set.sorted(), "size \(size)")
        }
    }

    @Test func isCompact() {
        var generator = SeededNumbers(state: 0xc0de_c0de)
        let set = Set((0..<10_000).map { _ in UInt64.random(in: .min ... .max, using: &generator) })
        // ~52 bits of difference per hash, 7 of 8 bits per byte, 4/3 for base64: < 11 characters.
        #expect(HashSetCoding.encode(set).utf8.count < 11 * set.count)
    }

    @Test func refusesWhatItCannotHaveWritten() {
        #expect(HashSetCoding.decode("not base64!") == nil)
        #expect(HashSetCoding.decode(HashSetCoding.base64([0x80])) == nil)  // unfinished number
        #expect(HashSetCoding.decode(HashSetCoding.base64([5, 0])) == nil)  // a repeat
        #expect(HashSetCoding.decode(HashSetCoding.base64(Array(repeating: 0xff, count: 10) + [1])) == nil)
        #expect(HashSetCoding.decode(HashSetCoding.base64([1, 2, 3])) == [1, 3, 6])
    }

    /// Merged counters stay exact while the union fits, through the JSON round trip.
    @Test func mergedCountersReadFromJSONStayExact() throws {
        var a = PersonaStats()
        var b = PersonaStats()
        for k in 0..<3_000 {
            let id = "persona-\(k)"
            var text = id
            text.withUTF8 { bytes in
                if k < 2_000 { a.ids.add(UnsafeRawBufferPointer(bytes)) }
                if k >= 1_000 { b.ids.add(UnsafeRawBufferPointer(bytes)) }
            }
        }
        let readA = try StatsJSONReader.persona(StatsJSONWriter.persona(a))
        let readB = try StatsJSONReader.persona(StatsJSONWriter.persona(b))
        var merged = readA
        merged.merge(readB)
        #expect(merged.ids.isExact)
        #expect(merged.ids.distinct == 3_000)
        #expect(merged.duplicateIDs == 1_000)
    }

    @Test func categoryDistinctCountsStayExactPastCapacity() throws {
        var a = CategoryCounter(capacity: 10)
        var b = CategoryCounter(capacity: 10)
        for k in 0..<25 { a.add("v\(k)") }
        for k in 15..<40 { b.add("v\(k)") }
        #expect(!a.exact && a.distinct == 25 && a.distinctIsExact)
        let json = StatsJSONWriter.categories(a)
        let readA = try StatsJSONReader.categories(.object([("c", json)]), "c")
        let readB = try StatsJSONReader.categories(.object([("c", StatsJSONWriter.categories(b))]), "c")
        var merged = readA
        merged.merge(readB)
        #expect(merged.distinct == 40)
        #expect(merged.distinctIsExact)
        // Two exact counters whose union overflows the capacity.
        var c = CategoryCounter(capacity: 10)
        var d = CategoryCounter(capacity: 10)
        for k in 0..<8 { c.add("w\(k)") }
        for k in 4..<12 { d.add("w\(k)") }
        c.merge(d)
        #expect(c.distinct == 12 && !c.exact)
    }
}
