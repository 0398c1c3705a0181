#if canImport(Glibc)
    import Glibc
#endif

/// JSON Schema equality (`const`, `enum`, `uniqueItems`): numbers by exact value (`1 == 1.0`,
/// and `9007199254740993 != 9007199254740992`), strings by their unescaped text, objects
/// regardless of key order, arrays in order.
///
/// Nothing here recurses: values are compared and hashed with explicit stacks or in one pass
/// over the tape, so an instance nested as deep as `--max-depth` allows cannot exhaust the
/// thread's stack.
enum SchemaEquality {
    /// True when the number at `i` has no fractional part (`1.0` is an integer to JSON Schema).
    static func isIntegral(_ document: JSONDocument, _ i: Int) -> Bool {
        if document.nodes[i].flags & JSONNode.isInteger != 0 { return true }
        return SchemaDecimal(document.raw(i))?.isIntegral ?? false
    }

    /// Two values of the same document.
    static func equal(_ document: JSONDocument, _ a: Int, _ b: Int) -> Bool {
        var pending: [(Int, Int)] = []
        var pair = (a, b)
        while true {
            let (x, y) = pair
            let kind = document.kind(x)
            guard kind == document.kind(y) else { return false }
            switch kind {
            case .null, .true, .false: break
            case .number: guard numbersEqual(document.raw(x), document.raw(y)) else { return false }
            case .string: guard stringsEqual(document, x, y) else { return false }
            case .array:
                guard document.count(x) == document.count(y) else { return false }
                for (p, q) in zip(document.elements(x), document.elements(y)) { pending.append((p, q)) }
            case .object:
                guard document.count(x) == document.count(y) else { return false }
                for key in document.memberKeys(x) {
                    guard let other = document.withStringBytes(key, { document.member(y, $0) }) else { return false }
                    pending.append((key + 1, other))
                }
            }
            guard let next = pending.popLast() else { return true }
            pair = next
        }
    }

    /// Two strings of the same document, compared in place unless one has escapes.
    // Measured: outlined (soc-validate --threads 1 --rejects /dev/null, 5 MB of gen_soc --realistic
    // --seed 1) it cost 2.3M instructions of calls per run (callgrind; run 202.7M with it).
    @inline(__always)
    static func stringsEqual(_ document: JSONDocument, _ a: Int, _ b: Int) -> Bool {
        if !document.hasEscapes(a) && !document.hasEscapes(b) {
            let x = document.stringContent(a)
            let y = document.stringContent(b)
            return x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
        }
        return document.withStringBytes(a) { x in
            document.withStringBytes(b) { y in
                x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
    }

    /// A tape value and a materialised one (schema constants).
    static func equal(_ document: JSONDocument, _ i: Int, _ value: JSONValue) -> Bool {
        var pending: [(Int, JSONValue)] = []
        var pair = (i, value)
        while true {
            let (x, expected) = pair
            switch (document.kind(x), expected) {
            case (.null, .null), (.true, .bool(true)), (.false, .bool(false)): break
            case (.number, .number(let number)):
                var text = number.text
                guard text.withUTF8({ numbersEqual(document.raw(x), UnsafeRawBufferPointer($0)) }) else { return false }
            case (.string, .string(let text)):
                var text = text
                guard
                    text.withUTF8({ bytes in
                        document.withStringBytes(x) { $0.elementsEqual(UnsafeRawBufferPointer(bytes)) }
                    })
                else { return false }
            case (.array, .array(let items)):
                guard document.count(x) == items.count else { return false }
                for (p, item) in zip(document.elements(x), items) { pending.append((p, item)) }
            case (.object, .object(let members)):
                guard document.count(x) == members.count else { return false }
                for (key, member) in members {
                    guard let found = document.member(x, key) else { return false }
                    pending.append((found, member))
                }
            default:
                return false
            }
            guard let next = pending.popLast() else { return true }
            pair = next
        }
    }

    /// Numbers written differently but equal in value (`1`, `1.0`, `1e0`), compared exactly.
    static func numbersEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        if a.elementsEqual(b) { return true }
        guard let x = SchemaDecimal(a), let y = SchemaDecimal(b) else { return false }
        return x == y
    }

    // MARK: - Hashes for uniqueItems

    /// A hash of each element of the array at `index`, equal for elements that are `equal`
    /// (objects hash regardless of key order, numbers by exact value). One backwards pass over
    /// the array's part of the tape: every child comes after its parent, so children are hashed
    /// before the containers that combine them.
    static func elementHashes(_ document: JSONDocument, _ index: Int) -> [UInt64] {
        let first = index + 1
        let end = Int(document.nodes[index].next)
        guard end > first else { return [] }
        var hashes = [UInt64](repeating: 0, count: end - first)
        var k = end - 1
        while k >= first {
            let hash: UInt64
            switch document.kind(k) {
            case .null: hash = 0x6E75_6C6C
            case .false: hash = 0x6661_6C73
            case .true: hash = 0x7472_7565
            case .number: hash = numberHash(document.raw(k))
            case .string:
                hash = document.withStringBytes(k) {
                    XXH3.hash64($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, $0.count, seed: 0x5354)
                }
            case .array:
                var h = mix(0x4152_5241 &+ UInt64(document.count(k)))
                for element in document.elements(k) { h = mix(h ^ hashes[element - first]) }
                hash = h
            case .object:
                // A sum of member hashes does not depend on the order of the members.
                var sum: UInt64 = 0
                for key in document.memberKeys(k) {
                    sum &+= mix(hashes[key - first] &+ 0x9E37_79B9_7F4A_7C15 &* hashes[key + 1 - first])
                }
                hash = mix(sum ^ (0x4F42_4A45 &+ UInt64(document.count(k))))
            }
            hashes[k - first] = hash
            k -= 1
        }
        return document.elements(index).map { hashes[$0 - first] }
    }

    /// The hash of a number's exact value: its sign, significant digits and decimal exponent.
    private static func numberHash(_ raw: UnsafeRawBufferPointer) -> UInt64 {
        guard let decimal = SchemaDecimal(raw) else {
            return XXH3.hash64(raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, raw.count)
        }
        let head = decimal.digits.withUnsafeBytes {
            XXH3.hash64($0.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, $0.count, seed: 0x4E55)
        }
        return mix(head ^ (UInt64(bitPattern: decimal.exponent) &* 31) ^ (decimal.negative ? 0xFF : 0))
    }

    /// SplitMix64's finaliser: spreads every input bit over the output.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
