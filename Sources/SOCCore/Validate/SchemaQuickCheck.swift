/// A leaf schema of the common small keywords (`type`, `minLength`, a simple `pattern`,
/// `minItems`, `maxItems`, `items` of a bare type), checked in one straight run instead of one
/// `applyAssertion` call per keyword: most subschemas of record schemas are such leaves (ids,
/// names, a chat part's sender and messages).
///
/// Measured (soc-validate --threads 1 --rejects /dev/null real20.jsonl, callgrind): a keyword
/// call cost ~60-100 instructions of dispatch before its check; see the commit for the saving.
/// Yes/no only: a reporting pass runs the keywords themselves, so messages do not change.
struct SchemaQuickCheck {
    /// The `type` keyword's set, when `hasType`.
    var types = SchemaTypeSet()
    var hasType = false
    /// `minLength` (0 when absent: it then holds for every string).
    var minLength = 0
    /// The regex index of a `pattern` that has a `SimplePattern`, or -1.
    var pattern: Int32 = -1
    /// `minItems` and `maxItems` (0 and Int.max when absent).
    var minItems = 0
    var maxItems = Int.max
    /// The bare type of `items`, when `hasItems`.
    var itemTypes = SchemaTypeSet()
    var hasItems = false
    /// The `quickChecks` index of `items`' schema when it is a quick leaf that is more than a
    /// bare type, or -1. Such a check evaluates one level deeper than its node, so only a
    /// `SchemaQuickObject`'s properties use it (`compile`'s `itemQuick`).
    var itemQuick: Int32 = -1
    /// `minimum` and `maximum`: the limit's index, its value when a short integer (else
    /// `Keyword.noFast`) and whether it is exclusive; `limit` -1 when absent.
    var minimum: (limit: Int32, fast: Int64, exclusive: Bool) = (-1, 0, false)
    var maximum: (limit: Int32, fast: Int64, exclusive: Bool) = (-1, 0, false)

    /// The quick form of a node's yes/no keywords, or nil when one of them has none (or a
    /// keyword appears twice). `simple` says whether a regex index has a `SimplePattern`;
    /// `bareType` gives a node's type set when `type` is its only keyword.
    static func compile(
        _ keywords: ArraySlice<SchemaProgram.Keyword>, simple: (Int32) -> Bool, bareType: (Int32) -> SchemaTypeSet?,
        itemQuick: (Int32) -> Int32? = { _ in nil }
    ) -> SchemaQuickCheck? {
        var quick = SchemaQuickCheck()
        var seen = Set<Int>()
        for keyword in keywords {
            switch keyword {
            case .type(let set):
                guard seen.insert(0).inserted else { return nil }
                quick.types = set
                quick.hasType = true
            case .minLength(let limit):
                guard seen.insert(1).inserted, limit >= 0, limit <= Int.max / 12 else { return nil }
                quick.minLength = limit
            case .pattern(let k):
                guard seen.insert(2).inserted, simple(k) else { return nil }
                quick.pattern = k
            case .minItems(let limit):
                guard seen.insert(3).inserted else { return nil }
                quick.minItems = limit
            case .maxItems(let limit):
                guard seen.insert(4).inserted else { return nil }
                quick.maxItems = limit
            case .items(let schema, let after):
                guard seen.insert(5).inserted, after == 0 else { return nil }
                if let set = bareType(schema) {
                    quick.itemTypes = set
                    quick.hasItems = true
                } else if let k = itemQuick(schema) {
                    quick.itemQuick = k
                } else {
                    return nil
                }
            case .minimum(let limit, let fast, let exclusive):
                guard seen.insert(6).inserted else { return nil }
                quick.minimum = (limit, fast, exclusive)
            case .maximum(let limit, let fast, let exclusive):
                guard seen.insert(7).inserted else { return nil }
                quick.maximum = (limit, fast, exclusive)
            default:
                return nil
            }
        }
        return quick
    }
}

extension SchemaEvaluator {
    /// The yes/no verdict of the keywords quick check `k` stands for, on the value at `i`.
    /// Read where it lies: a copy of the check was ~26 instructions a call.
    @inline(__always)
    func holds(quick k: Int32, _ i: Int) -> Bool {
        let quick = UnsafePointer(program.quickChecks.baseAddress! + Int(k))
        return holds(quick, i)
    }

    /// The yes/no verdict of the keywords `quick` stands for, on the value at `i`. Each field
    /// is read where it lies (a copy of the check was ~26 instructions a call).
    @inline(__always)
    func holds(_ quick: UnsafePointer<SchemaQuickCheck>, _ i: Int) -> Bool {
        if quick.pointee.hasType && !matches(quick.pointee.types, i) { return false }
        switch document.kind(i) {
        case .string:
            let minLength = quick.pointee.minLength
            if minLength > 0 && lengthBelow(minLength, i) != nil { return false }
            let pattern = quick.pointee.pattern
            if pattern >= 0 && simpleMatch(pattern, i) == false { return false }
        case .array:
            let count = document.count(i)
            if count < quick.pointee.minItems || count > quick.pointee.maxItems { return false }
            if quick.pointee.hasItems && !itemsMatch(quick.pointee.itemTypes, i, count) { return false }
            let itemQuick = quick.pointee.itemQuick
            if itemQuick >= 0 && !itemsHold(itemQuick, i) { return false }
        case .number:
            // What `applyAssertion` decides for `minimum` / `maximum` (`compare` takes the Int64
            // path for short integers, the decimal one for any other number).
            let minimum = quick.pointee.minimum
            if minimum.limit >= 0 {
                let order = compare(i, minimum.limit, minimum.fast)
                if minimum.exclusive ? order <= 0 : order < 0 { return false }
            }
            let maximum = quick.pointee.maximum
            if maximum.limit >= 0 {
                let order = compare(i, maximum.limit, maximum.fast)
                if maximum.exclusive ? order >= 0 : order > 0 { return false }
            }
        default:
            break
        }
        return true
    }

    /// True when every item of the array at `i` (`count` items) has a type of `types`.
    ///
    /// Hand-written hot path: an array of at most four scalars (a chat part's messages) has its
    /// items' type bits tested together, without a loop whose exit depends on the count (it was
    /// mispredicted ~380,000 times a run on the 100 MB realistic file, callgrind); any other
    /// array, or one the bits reject (an integral number may still match `integer`), is walked.
    @inline(__always)
    func itemsMatch(_ types: SchemaTypeSet, _ i: Int, _ count: Int) -> Bool {
        let nodes = document.nodes
        // Every item is one node (no nested values) exactly when the array's subtree ends
        // `count` nodes after it.
        if UInt(bitPattern: count &- 1) < 4 && Int(nodes[i].next) == i &+ 1 &+ count {
            // Items past the last read the last again (k = min(k, count - 1)).
            let last = i &+ count
            let allowed = types.rawValue
            func missing(_ k: Int) -> UInt8 {
                let kind = nodes[k].kind
                return UInt8(truncatingIfNeeded: Self.typeBits >> (UInt64(kind.rawValue) &* 8)) & allowed == 0 ? 1 : 0
            }
            let missed = missing(i &+ 1) | missing(min(i &+ 2, last)) | missing(min(i &+ 3, last)) | missing(last)
            if missed == 0 { return true }
        }
        for element in document.elements(i) where !matches(types, element) { return false }
        return true
    }

    /// True when every item of the array at `i` passes quick check `k` (not inlined: `holds`
    /// would otherwise inline into itself).
    @inline(never)
    func itemsHold(_ k: Int32, _ i: Int) -> Bool {
        for element in document.elements(i) where !holds(quick: k, element) { return false }
        return true
    }

    /// The length in code points of the string at `i` when it is shorter than `limit`, else nil.
    @inline(__always)
    func lengthBelow(_ limit: Int, _ i: Int) -> Int? {
        // A code point takes at most 4 bytes (an escape at most 12): long strings pass uncounted.
        guard document.stringContent(i).count < limit * (document.hasEscapes(i) ? 12 : 4) else { return nil }
        let length = document.withStringBytes(i) { TextMeasure.characters($0) }
        return length < limit ? length : nil
    }

    /// Whether the string at `i` matches regex `k` by its `SimplePattern`; nil when it has none.
    @inline(__always)
    func simpleMatch(_ k: Int32, _ i: Int) -> Bool? {
        guard let simple = program.simpleMatchers[Int(k)] else { return nil }
        // Unretained: the program's `simplePatterns` keeps it (a retain and release per id was
        // 3.0M instructions of the run).
        return simple._withUnsafeGuaranteedRef { simple in
            guard document.hasEscapes(i) else { return simple.matches(document.stringContent(i)) }
            return document.withStringBytes(i) { simple.matches($0) }
        }
    }
}
