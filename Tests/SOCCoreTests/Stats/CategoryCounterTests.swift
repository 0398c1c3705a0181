import Testing

@testable import SOCCore

extension CategoryCounterTests {
    /// Totals added at once (room reserved for all of them) equal adding each value's
    /// occurrences one by one; totals that do not fit are refused, having added nothing.
    @Test func addTotalsEqualsAddingEach() {
        var each = CategoryCounter(capacity: 50)
        var totals = CategoryCounter(capacity: 50)
        for round in 0..<3 {
            let batch = (0..<(10 + round * 7)).map { k in (value: "v\(k * (round + 1))", count: 1 + k % 4) }
            for (value, count) in batch { for _ in 0..<count { each.add(value) } }
            let added = totals.addTotals(batch)
            #expect(added)
            #expect(totals == each)
            #expect(totals.sorted.map(\.value) == each.sorted.map(\.value))
        }
        let before = totals
        let refused = !totals.addTotals((0..<60).map { (value: "w\($0)", count: 1) })
        #expect(refused)
        #expect(totals == before)
    }
}
