import CSystem

/// Measuring a JSON string's content as the parser validated it: no byte below 0x20 (a control
/// character must be escaped), so the one blank byte is the space, and a byte's blank-before
/// lane is a compare of the block one byte back.
///
/// Hand-written hot path (every message soc-stats measures): against `vectorMeasure`'s block,
/// which classifies the five control blanks and shifts each blank lane in from the block before
/// (SSE2 has no three-operand byte shift), a block here is two loads and two compares for the
/// word starts, 15 instructions instead of 23. The tests check it against `measure` on random
/// text of every length.
extension TextMeasure {
    /// `measure` of the `count` ≥ 16 bytes at `base`, none of them below 0x20 (a JSON string's
    /// content, escaped or not): whole blocks after the first, each with the 16 bytes one byte
    /// back, then the last 16 bytes with the lanes already counted masked off. Counts are kept in
    /// byte lanes, summed every 253 blocks of long texts and at the end.
    static func contentMeasure(_ base: UnsafeRawPointer, _ count: Int) -> Figures {
        var lanes = ContentLanes()
        lanes.first(base.loadUnaligned(as: Vector.self))
        var words = 0
        var continuation = 0
        var offset = 16
        let last = count &- 16
        // Texts of more than 254 blocks (rare) first take rounds of 253, summed after each (the
        // first round counts the first block too); then at most 253 whole blocks and the last
        // leave at most 255 in a lane.
        while last &- offset > 253 &* 16 {
            for _ in 0..<253 {
                lanes.block(
                    base.loadUnaligned(fromByteOffset: offset, as: Vector.self),
                    before: base.loadUnaligned(fromByteOffset: offset &- 1, as: Vector.self))
                offset &+= 16
            }
            lanes.sum(words: &words, continuation: &continuation)
        }
        while offset < last {
            lanes.block(
                base.loadUnaligned(fromByteOffset: offset, as: Vector.self),
                before: base.loadUnaligned(fromByteOffset: offset &- 1, as: Vector.self))
            offset &+= 16
        }
        lanes.last(base, last: last, seen: offset &- last)
        lanes.sum(words: &words, continuation: &continuation)
        return Figures(words: words, characters: count &- continuation, hasAngleBracket: lanes.hasAngle)
    }

    /// The byte-lane counts of `contentMeasure` (and `measureEscaped`'s vector pass).
    struct ContentLanes: LaneCounters {
        var startLanes = Vector()
        var continuationLanes = Vector()
        var angles = Vector()

        /// Counts the first block `v` (the start counts as blank: lane 0's byte before is).
        @inline(__always)
        mutating func first(_ v: Vector) {
            let space = Self.spaces(v)
            startLanes &-= soc_shift_in16(space, Vector(repeating: 0xFF)) & ~space
            count(v)
        }

        /// Counts a whole block `v` after the first, `before` being the 16 bytes one byte back.
        @inline(__always)
        mutating func block(_ v: Vector, before: Vector) {
            // A true lane is all ones (-1): subtracting it adds one.
            startLanes &-= Self.spaces(before) & ~Self.spaces(v)
            count(v)
        }

        /// Counts the last 16 bytes, at `last` ≥ 0 of the text, without their first `seen`
        /// (0...16) lanes, counted already (all 16 when the text is one block: then `last` is 0
        /// and nothing is read before the text).
        @inline(__always)
        mutating func last(_ base: UnsafeRawPointer, last: Int, seen: Int) {
            let v = base.loadUnaligned(fromByteOffset: last, as: Vector.self)
            let before = base.loadUnaligned(fromByteOffset: Swift.max(last &- 1, 0), as: Vector.self)
            let valid = soc_lanes_from16(UInt32(truncatingIfNeeded: seen))
            startLanes &-= Self.spaces(before) & ~Self.spaces(v) & valid
            continuationLanes &-= VectorLanes.continuation(v) & valid
            angles |= unsafeBitCast(v .== Vector(repeating: 0x3C), to: Vector.self)
        }

        /// Counts the continuation bytes and `<` of a whole block.
        @inline(__always)
        private mutating func count(_ v: Vector) {
            continuationLanes &-= VectorLanes.continuation(v)
            angles |= unsafeBitCast(v .== Vector(repeating: 0x3C), to: Vector.self)
        }

        /// All ones where the byte is a space.
        @inline(__always)
        static func spaces(_ v: Vector) -> Vector {
            unsafeBitCast(v .== Vector(repeating: 0x20), to: Vector.self)
        }
    }
}
