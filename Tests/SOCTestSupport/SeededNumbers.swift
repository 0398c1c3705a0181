/// A deterministic pseudo-random sequence for tests (Knuth's MMIX linear congruential step, the
/// high bits taken): the same seed gives the same numbers on every machine and run, with no
/// global state, so a generated case that fails can be generated again.
public struct SeededNumbers: RandomNumberGenerator {
    /// The generator's state; the next number comes from the step after it.
    public var state: UInt64

    /// A sequence starting from `state` (taken as it is, not mixed).
    public init(state: UInt64) {
        self.state = state
    }

    /// The next 64 random bits (for `randomElement(using:)` and the like): the state after the
    /// step, its high bits folded into the weak low ones.
    public mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 31)
    }

    /// A number below `bound`.
    public mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
}
