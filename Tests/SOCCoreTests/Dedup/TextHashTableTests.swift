import Testing

@testable import SOCCore

@Suite struct TextHashTableTests {
    @Test func findsWhatWasInsertedAndNothingElse() {
        var table = TextHashTable()
        #expect(table.first(0) == nil)
        // Hashes sharing their low bits collide in every table size: long probe chains.
        let hashes = (0..<3000).map { UInt64($0) << 40 | 7 } + [0, UInt64.max]
        for (record, hash) in hashes.enumerated() { table.insert(hash, record: UInt32(record)) }
        for (record, hash) in hashes.enumerated() { #expect(table.first(hash) == UInt32(record)) }
        #expect(table.first(1 << 40 | 8) == nil)
        #expect(table.first(3000 << 40 | 7) == nil)
        #expect(table.count == hashes.count)
    }

    @Test func capacityGrowsAsTheDictionaryItReplacedDid() {
        // `index_bytes` in the report counts 12 bytes per unit of this capacity, as it counted
        // the `[UInt64: UInt32]` dictionary's: the same number after every insert.
        var table = TextHashTable()
        var dictionary: [UInt64: UInt32] = [:]
        #expect(table.capacity == dictionary.capacity)
        for k in 0..<20_000 {
            let hash = MinHasher.mix(UInt64(k))
            table.insert(hash, record: UInt32(k))
            dictionary[hash] = UInt32(k)
            if table.capacity != dictionary.capacity {
                Issue.record("after \(k + 1) inserts: \(table.capacity) vs \(dictionary.capacity)")
                return
            }
        }
    }
}
