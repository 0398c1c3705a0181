import Testing

@testable import SOCCore

@Suite struct OrderedClaimTests {
    /// Wider than an existential's inline buffer: held in a box.
    private struct Wide: OrderedClaim, Equatable {
        var values: [UInt64]
        var name: String
        var count: Int
    }

    private final class Boxed: OrderedClaim, @unchecked Sendable {
        let value: Int
        init(_ value: Int) { self.value = value }
    }

    @Test func exactlyGivesBackTheClaimOfThatTypeOnly() {
        let claims: [any OrderedClaim] = [
            Wide(values: [1, 2, 3], name: "w", count: 3), UniqueKeyClaim(key: "k", path: "$.id"), Boxed(7),
        ]
        #expect(claims[0].exactly(Wide.self) == Wide(values: [1, 2, 3], name: "w", count: 3))
        #expect(claims[0].exactly(UniqueKeyClaim.self) == nil)
        #expect(claims[1].exactly(UniqueKeyClaim.self)?.key == "k")
        #expect(claims[1].exactly(Wide.self) == nil)
        #expect(claims[2].exactly(Boxed.self)?.value == 7)
        #expect(claims[2].exactly(Wide.self) == nil)
        // The same answers as a dynamic cast.
        for claim in claims {
            #expect((claim.exactly(Wide.self) != nil) == (claim as? Wide != nil))
            #expect((claim.exactly(Boxed.self) != nil) == (claim as? Boxed != nil))
        }
    }
}
