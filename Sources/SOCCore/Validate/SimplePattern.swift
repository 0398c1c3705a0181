/// A fully anchored pattern of ASCII classes with counts, such as `^[0-9a-f]{32}$` or
/// `^[0-9a-f]{32}_[0-9a-f]{32}_[0-9]+$`, matched without PCRE2.
///
/// Ids are checked several times per SOC record; a PCRE2 JIT call costs ~900 instructions
/// (measured under callgrind), a run over 32 bytes of a bitmap a tenth of that. Only patterns
/// whose greedy match is exact are accepted: each element with a variable count is followed by
/// an element whose class it does not share (or by the end). Anything else compiles to PCRE2.
///
/// No regex library has this shortcut: PCRE2's JIT spends its ~900 instructions on the call
/// and match setup, not on the 32 bytes. Each element's class is a 256-byte table, and a run of
/// fixed length (`{32}`) is checked eight bytes per load, without a branch per byte, or sixteen
/// bytes per vector compare when the class is at most three ranges (`[0-9a-f]`). Measured
/// (soc-validate --threads 1 --rejects /dev/null, real20.jsonl, callgrind): the per-byte bitmap
/// loop took 15 instructions a byte, 40.9M of the run's 522.0M; the tables, see the commit.
final class SimplePattern {
    struct Element {
        var low: UInt64
        var high: UInt64
        var minimum: Int
        var maximum: Int

        func contains(_ byte: UInt8) -> Bool {
            byte < 64 ? low & (1 << UInt64(byte)) != 0 : byte < 128 && high & (1 << UInt64(byte - 64)) != 0
        }
    }

    let elements: [Element]
    /// Per element, 256 bytes: 0 for a byte of its class, 1 for any other.
    private let misses: UnsafeMutablePointer<UInt8>
    /// Per element: its minimum and maximum count.
    private let counts: UnsafeMutableBufferPointer<(minimum: Int, maximum: Int)>
    /// True when the empty string matches (every element may occur zero times).
    private let matchesEmpty: Bool
    /// Per element, when its class is at most three byte ranges: the ranges as sixteen-lane
    /// splats (first byte, last byte minus first), three per element, and their number (0: none).
    private let ranges: UnsafeMutablePointer<(first: SIMD16<UInt8>, span: SIMD16<UInt8>)>
    private let rangeCounts: UnsafeMutablePointer<Int>

    init(elements: [Element]) {
        self.elements = elements
        misses = .allocate(capacity: max(elements.count, 1) * 256)
        counts = .allocate(capacity: max(elements.count, 1))
        for (e, element) in elements.enumerated() {
            for byte in 0..<256 { misses[e * 256 + byte] = element.contains(UInt8(byte)) ? 0 : 1 }
            counts[e] = (element.minimum, element.maximum)
        }
        matchesEmpty = elements.allSatisfy { $0.minimum == 0 }
        ranges = .allocate(capacity: max(elements.count, 1) * 3)
        rangeCounts = .allocate(capacity: max(elements.count, 1))
        for (e, element) in elements.enumerated() {
            var found: [(UInt8, UInt8)] = []
            var byte = 0
            while byte < 128 {
                guard element.contains(UInt8(byte)) else {
                    byte += 1
                    continue
                }
                var last = byte
                while last + 1 < 128 && element.contains(UInt8(last + 1)) { last += 1 }
                found.append((UInt8(byte), UInt8(last)))
                byte = last + 1
            }
            rangeCounts[e] = found.count <= 3 ? found.count : 0
            for k in 0..<3 {
                let (first, last) = k < found.count ? found[k] : (1, 0)
                ranges[e * 3 + k] = (SIMD16(repeating: first), SIMD16(repeating: last &- first))
            }
        }
    }

    deinit {
        misses.deallocate()
        counts.deallocate()
        ranges.deallocate()
        rangeCounts.deallocate()
    }

    /// True when all `count` (>= 16) bytes from `start` lie in element `e`'s ranges: sixteen at a
    /// time (the last load overlaps the one before it), each lane `byte - first <= span`.
    @inline(__always)
    private func rangesContain(_ e: Int, _ start: UnsafeRawPointer, _ count: Int) -> Bool {
        let n = rangeCounts[e]
        let r = ranges + e &* 3
        var offset = 0
        while true {
            let v = (start + min(offset, count &- 16)).loadUnaligned(as: SIMD16<UInt8>.self)
            var inside = (v &- r[0].first) .<= r[0].span
            if n > 1 { inside .|= (v &- r[1].first) .<= r[1].span }
            if n > 2 { inside .|= (v &- r[2].first) .<= r[2].span }
            if !all(inside) { return false }
            offset &+= 16
            if offset >= count { return true }
        }
    }

    /// The simple form of `pattern`, or nil when it needs a real regex engine.
    static func compile(_ pattern: String) -> SimplePattern? {
        let chars = Array(pattern.utf8)
        guard chars.count >= 2, chars.first == UInt8(ascii: "^"), chars.last == UInt8(ascii: "$") else { return nil }
        var k = 1
        let end = chars.count - 1
        var elements: [Element] = []
        let special = Set("\\^$.|?*+()[]{}".utf8)
        while k < end {
            var element = Element(low: 0, high: 0, minimum: 1, maximum: 1)
            func add(_ byte: UInt8) {
                if byte < 64 { element.low |= 1 << UInt64(byte) } else { element.high |= 1 << UInt64(byte - 64) }
            }
            let c = chars[k]
            if c == UInt8(ascii: "[") {
                k += 1
                // A negated class (`[^...]`) is left to PCRE2.
                guard k < end, chars[k] != UInt8(ascii: "^") else { return nil }
                var closed = false
                while k < end {
                    let first = chars[k]
                    if first == UInt8(ascii: "]") {
                        closed = true
                        k += 1
                        break
                    }
                    guard first < 128, first != UInt8(ascii: "\\"), first != UInt8(ascii: "[") else { return nil }
                    if k + 2 < end, chars[k + 1] == UInt8(ascii: "-"), chars[k + 2] != UInt8(ascii: "]") {
                        let last = chars[k + 2]
                        guard last < 128, last >= first, last != UInt8(ascii: "\\") else { return nil }
                        for byte in first...last { add(byte) }
                        k += 3
                    } else {
                        add(first)
                        k += 1
                    }
                }
                guard closed, element.low | element.high != 0 else { return nil }
            } else if c == UInt8(ascii: "\\") {
                guard k + 1 < end else { return nil }
                let e = chars[k + 1]
                if e == UInt8(ascii: "d") {
                    for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { add(byte) }
                } else if e < 128,
                    special.contains(e) || e == UInt8(ascii: "-") || e == UInt8(ascii: "_") || e == UInt8(ascii: "/")
                {
                    add(e)
                } else {
                    return nil
                }
                k += 2
            } else if c < 128, !special.contains(c) {
                add(c)
                k += 1
            } else {
                return nil
            }
            // Quantifier.
            if k < end {
                switch chars[k] {
                case UInt8(ascii: "+"):
                    element.maximum = Int.max
                    k += 1
                case UInt8(ascii: "*"):
                    element.minimum = 0
                    element.maximum = Int.max
                    k += 1
                case UInt8(ascii: "?"):
                    element.minimum = 0
                    k += 1
                case UInt8(ascii: "{"):
                    guard let close = chars[k...].firstIndex(of: UInt8(ascii: "}")), close < end else { return nil }
                    let inside = String(decoding: chars[(k + 1)..<close], as: UTF8.self)
                    let parts = inside.split(separator: ",", omittingEmptySubsequences: false)
                    guard parts.count == 1 || parts.count == 2, let low = Int(parts[0]) else { return nil }
                    element.minimum = low
                    if parts.count == 1 {
                        element.maximum = low
                    } else if parts[1].isEmpty {
                        element.maximum = Int.max
                    } else {
                        guard let high = Int(parts[1]), high >= low else { return nil }
                        element.maximum = high
                    }
                    k = close + 1
                default: break
                }
                if k < end,
                    [UInt8(ascii: "?"), UInt8(ascii: "+"), UInt8(ascii: "*"), UInt8(ascii: "{")].contains(chars[k])
                {
                    return nil
                }
            }
            elements.append(element)
        }
        // Greedy is exact only when a variable run cannot eat what the next element needs.
        for (a, b) in zip(elements, elements.dropFirst()) where a.minimum != a.maximum {
            if a.low & b.low != 0 || a.high & b.high != 0 { return nil }
        }
        return SimplePattern(elements: elements)
    }

    /// True when the whole of `subject` matches.
    // Measured: outlined (soc-validate --threads 1 --rejects /dev/null, 5 MB of gen_soc --realistic
    // --seed 1) it cost 1.1M more instructions per run (callgrind, run 202.7M with it).
    @inline(__always)
    func matches(_ subject: UnsafeRawBufferPointer) -> Bool {
        let n = subject.count
        guard n > 0, let base = subject.baseAddress else { return matchesEmpty }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        var position = 0
        for e in 0..<counts.count {
            let (minimum, maximum) = counts[e]
            let table = misses + e &* 256
            if minimum == maximum {
                // A fixed run: every byte in the class, or no match (greedy takes exactly these).
                guard minimum <= n - position else { return false }
                if minimum >= 16 && rangeCounts[e] > 0 {
                    guard rangesContain(e, base + position, minimum) else { return false }
                    position &+= minimum
                    continue
                }
                let end = position + minimum
                var miss: UInt8 = 0
                while position &+ 8 <= end {
                    let word = UInt64(littleEndian: (base + position).loadUnaligned(as: UInt64.self))
                    miss |= table[Int(word & 0xFF)] | table[Int((word >> 8) & 0xFF)]
                    miss |= table[Int((word >> 16) & 0xFF)] | table[Int((word >> 24) & 0xFF)]
                    miss |= table[Int((word >> 32) & 0xFF)] | table[Int((word >> 40) & 0xFF)]
                    miss |= table[Int((word >> 48) & 0xFF)] | table[Int(word >> 56)]
                    position &+= 8
                }
                while position < end {
                    miss |= table[Int(bytes[position])]
                    position &+= 1
                }
                if miss != 0 { return false }
            } else {
                var count = 0
                while count < maximum, position < n, table[Int(bytes[position])] == 0 {
                    position &+= 1
                    count &+= 1
                }
                if count < minimum { return false }
            }
        }
        return position == n
    }
}
