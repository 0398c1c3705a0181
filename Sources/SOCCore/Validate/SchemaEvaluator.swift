#if canImport(Glibc)
    import Glibc
#endif

/// One way an instance fails a schema: the keyword, where in the instance, and why.
public struct SchemaViolation: Sendable, Equatable {
    /// The schema keyword that failed (`required`, `type`, `additionalProperties`, ...), or
    /// `SchemaViolation.tooDeep`.
    public var keyword: String
    /// A JSONPath to the failing value: `$.chat_parts[3].sender`.
    public var path: String
    /// What is wrong, for a person.
    public var message: String

    /// The keyword of the violation for a value nested too deeply to be evaluated with the
    /// stack the thread has (soc-validate reports it as `too_deep`).
    public static let tooDeep = "too_deep"
}

/// Which members / items of one instance some keyword evaluated (for `unevaluated*`).
struct EvaluatedSet {
    var allProperties = false
    var properties: Set<Int> = []
    var allItems = false
    var items: Set<Int> = []

    mutating func merge(_ other: EvaluatedSet) {
        allProperties = allProperties || other.allProperties
        allItems = allItems || other.allItems
        if !other.properties.isEmpty { properties.formUnion(other.properties) }
        if !other.items.isEmpty { items.formUnion(other.items) }
    }
}

/// Runs compiled nodes over one document's tape. Reused across records (no per-record setup):
/// valid records cost one pass over the keywords without allocation unless the schema uses
/// `unevaluated*`; paths and messages are built only for failures that are reported.
final class SchemaEvaluator {
    let program: SchemaProgram
    // The five properties every `evaluate` or keyword touches skip the dynamic exclusivity
    // checks: the evaluator is single-threaded and never re-enters an access. Measured with
    // callgrind (release soc-validate --threads 1 --personas, 5 MB of bench/gen_soc.py
    // --realistic --seed 1): with all nine properties unchecked 550.4M instructions; none
    // unchecked 561.5M (+2.0%, the schema evaluation itself +20%: a swift_beginAccess per
    // `evaluate`); these five unchecked 551.4M (+0.17%). So the four touched only by reporting
    // passes or rare keywords (path, violations, patternFailure, uniqueItemsComparisons) keep
    // their checks.
    @exclusivity(unchecked) var document: JSONDocument
    @exclusivity(unchecked) var scope: [Int32] = []
    var path: [PathStep] = []
    private(set) var violations: [SchemaViolation] = []
    @exclusivity(unchecked) private var depth = 0
    /// The first `pattern` PCRE2 could not decide (match or depth limit) in this run: the
    /// record's verdict is then unknown, reported as `schema_pattern_limit`, never a yes or no.
    var patternFailure: SchemaViolation?
    /// Set when evaluation ran out of stack: the record is invalid whatever the branches said.
    @exclusivity(unchecked) private(set) var exhaustedAt: SchemaViolation?
    @exclusivity(unchecked) private var stack = StackGuard()
    /// Item comparisons `uniqueItems` made (for tests: distinct items should cost none).
    var uniqueItemsComparisons = 0
    /// The objects of this run's document a closed `shape` found without a repeated key (see
    /// `JSONSchema.hasDistinctKeys`).
    @exclusivity(unchecked) var distinctKeys = TapeIndexSet()

    enum PathStep {
        case key(Int)
        case index(Int)
    }

    init(program: SchemaProgram) {
        self.program = program
        document = JSONDocument(
            bytes: UnsafeRawBufferPointer(start: nil, count: 0), nodes: UnsafeBufferPointer(start: nil, count: 0))
        scope.reserveCapacity(16)
        path.reserveCapacity(32)
    }

    /// Evaluates node 0 on the value at `index`. With `report`, collects every violation
    /// (applicators still stop early inside `anyOf`/`oneOf`/`not`, which have one message each).
    func run(_ document: JSONDocument, _ index: Int, report: Bool) -> Bool {
        self.document = document
        scope.removeAll(keepingCapacity: true)
        path.removeAll(keepingCapacity: true)
        violations.removeAll(keepingCapacity: true)
        patternFailure = nil
        depth = 0
        exhaustedAt = nil
        distinctKeys.reset(count: document.nodes.count)
        stack.prepare()
        var none: EvaluatedSet?
        return evaluate(0, index, &none, report) && exhaustedAt == nil
    }

    // MARK: - Nodes

    func evaluate(_ n: Int32, _ i: Int, _ evaluated: inout EvaluatedSet?, _ report: Bool) -> Bool {
        let node = program.nodes[Int(n)]
        if node.constant >= 0 {
            if node.constant == 0 && report { fail(i, "false", "no value is allowed here") }
            return node.constant == 1
        }
        // Most subschemas of record schemas are a bare `type` (each message, each trait).
        if !node.typeOnly.isEmpty, evaluated == nil, !report {
            return matches(node.typeOnly, i)
        }
        if node.quickObject >= 0, !report, evaluated == nil, exhaustedAt == nil, SchemaQuickObject.fits(depth) {
            return holds(program.quickObjects[Int(node.quickObject)], i)
        }
        // A yes/no pass over a leaf skips the walk's bookkeeping: no subschema below reads the
        // scope, and the depth is only looked at here, so a leaf where the stack would be
        // checked ((depth + 1) & 7 == 0), or after exhaustion, takes the full path below.
        if node.isLeaf, !report, evaluated == nil, exhaustedAt == nil, (depth + 1) & 7 != 0 {
            if node.quick >= 0 { return holds(quick: node.quick, i) }
            let first = Int(node.fastFirst)
            for k in first..<first + Int(node.fastCount) {
                let keyword = program.keywords[k]
                if keyword.isAssertion {
                    if !applyAssertion(keyword, i, false) { return false }
                } else {
                    var none: EvaluatedSet?
                    if !apply(keyword, i, &none, false) { return false }
                }
            }
            return true
        }
        depth += 1
        defer { depth -= 1 }
        if exhaustedAt != nil { return false }
        if depth & 7 == 0, stack.isExhausted() {
            // Recursion follows the instance (a recursive schema over deeply nested values): stop
            // before the thread's stack runs out, and say so, instead of crashing.
            exhaustedAt = SchemaViolation(
                keyword: SchemaViolation.tooDeep, path: renderPath(),
                message: "nested too deeply to evaluate against the schema (\(depth) schema levels; lower --max-depth)")
            return false
        }
        let pushed = scope.last != node.resource
        if pushed { scope.append(node.resource) }
        defer { if pushed { scope.removeLast() } }
        var local: EvaluatedSet? = evaluated != nil || node.tracksEvaluation ? EvaluatedSet() : nil
        var valid = true
        let fast = !report && local == nil
        let first = Int(fast ? node.fastFirst : node.first)
        let count = Int(fast ? node.fastCount : node.count)
        for k in first..<first + count {
            // Assertions straight to their function (what `apply` would do, one call fewer).
            let keyword = program.keywords[k]
            if keyword.isAssertion ? applyAssertion(keyword, i, report) : apply(keyword, i, &local, report) { continue }
            valid = false
            if !report { break }
        }
        if valid, evaluated != nil, let local { evaluated!.merge(local) }
        return valid
    }

    /// `evaluate` of node `n` in a yes/no pass that fills no evaluated set, with a quick leaf
    /// checked here rather than through a call (on the same terms as `evaluate`'s leaf path).
    @inline(__always)
    func check(_ n: Int32, _ i: Int) -> Bool {
        let node = program.nodes[Int(n)]
        if node.quick >= 0, exhaustedAt == nil, (depth + 1) & 7 != 0 {
            return holds(quick: node.quick, i)
        }
        if node.quickObject >= 0, exhaustedAt == nil, SchemaQuickObject.fits(depth) {
            return holds(program.quickObjects[Int(node.quickObject)], i)
        }
        var none: EvaluatedSet?
        return evaluate(n, i, &none, false)
    }

    func child(_ step: PathStep, _ report: Bool, _ body: () -> Bool) -> Bool {
        guard report else { return body() }
        path.append(step)
        defer { path.removeLast() }
        return body()
    }

    // MARK: - Helpers

    @inline(__always)
    func matches(_ allowed: SchemaTypeSet, _ i: Int) -> Bool {
        // The type bit of each kind from one word, by shift, where a switch over the kinds was
        // an indirect jump mispredicted ~150,000 times per 20 MB of chats (callgrind).
        let kind = document.kind(i)
        let bit = UInt8(truncatingIfNeeded: Self.typeBits >> (UInt64(kind.rawValue) &* 8))
        if allowed.rawValue & bit != 0 { return true }
        return kind == .number && allowed.contains(.integer) && SchemaEquality.isIntegral(document, i)
    }

    /// Byte k: the `SchemaTypeSet` bit of `JSONKind(rawValue: k)` (null 1, false and true 2,
    /// number 16, string 32, array 8, object 4); `integer` is decided by the value. A literal:
    /// a `static let` made each read a call to its lazy initialiser's guard (+15M instructions).
    @inline(__always)
    static var typeBits: UInt64 { 0x0004_0820_1002_0201 }

    func has(_ object: Int, _ name: PropertyName) -> Bool {
        name.bytes.withUnsafeBytes { document.member(object, $0) } != nil
    }

    /// The sign of the number at `i` minus `limits[k]`: -1, 0 or 1. Short integers on both sides
    /// (ages, counts) compare as Int64; anything else digit by digit.
    func compare(_ i: Int, _ k: Int32, _ fast: Int64) -> Int {
        if fast != SchemaProgram.Keyword.noFast, let value = shortInteger(i) {
            return value < fast ? -1 : (value == fast ? 0 : 1)
        }
        guard let value = SchemaDecimal(document.raw(i)) else { return 0 }
        return SchemaDecimal.compare(value, program.limits[Int(k)].decimal)
    }

    /// True when the number at `i` is a multiple of `limits[k]` (exactly, unless the divisor has
    /// more than 18 significant digits).
    func isMultiple(_ i: Int, _ k: Int32, _ fast: Int64) -> Bool {
        if fast != SchemaProgram.Keyword.noFast, let value = shortInteger(i) { return value % fast == 0 }
        let limit = program.limits[Int(k)]
        guard let value = SchemaDecimal(document.raw(i)) else { return true }
        if let exact = value.isMultiple(of: limit.decimal) { return exact }
        return document.double(i).map { Self.isMultiple($0, of: limit.double) } ?? true
    }

    /// The number at `i` when it is written as an integer of at most 18 characters.
    func shortInteger(_ i: Int) -> Int64? {
        guard document.nodes[i].flags & JSONNode.isInteger != 0 else { return nil }
        let text = document.raw(i)
        guard text.count <= 18 else { return nil }
        var value: Int64 = 0
        var negative = false
        for byte in text {
            if byte == UInt8(ascii: "-") { negative = true } else { value = value &* 10 &+ Int64(byte &- 48) }
        }
        return negative ? -value : value
    }

    /// The first item of the array at `i` equal to an earlier one, with that earlier one; nil
    /// when all are distinct. Items are grouped by a hash of their value and compared only
    /// within a group, so distinct items cost no comparison at all.
    func firstRepeat(_ i: Int) -> (Int, Int)? {
        let hashes = SchemaEquality.elementHashes(document, i)
        let items = Array(document.elements(i))
        var order = Array(0..<items.count)
        order.sort { hashes[$0] != hashes[$1] ? hashes[$0] < hashes[$1] : $0 < $1 }
        var best: (Int, Int)?
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count && hashes[order[end]] == hashes[order[start]] { end += 1 }
            // Within a group (in input order), the first item equal to an earlier one.
            search: for b in start + 1..<max(start + 1, end) {
                if let best, order[b] > best.1 { break }
                for a in start..<b {
                    uniqueItemsComparisons += 1
                    if SchemaEquality.equal(document, items[order[a]], items[order[b]]) {
                        best = (order[a], order[b])
                        break search
                    }
                }
            }
            start = end
        }
        return best
    }

    static func isMultiple(_ value: Double, of divisor: Double) -> Bool {
        if value == value.rounded(), divisor == divisor.rounded(), abs(value) < 9e15, abs(divisor) < 9e15 {
            return Int64(value) % Int64(divisor) == 0
        }
        // An integer is a multiple of any 1/n (0.5, 0.25), even where value / divisor overflows.
        if value == value.rounded(), (1 / divisor) == (1 / divisor).rounded() { return true }
        let quotient = value / divisor
        guard quotient.isFinite else { return false }
        return abs(quotient - quotient.rounded()) <= 1e-9 * max(1, abs(quotient))
    }

    func describe(_ i: Int) -> String {
        if document.kind(i) == .number { return SchemaEquality.isIntegral(document, i) ? "an integer" : "a number" }
        return document.kind(i).nameWithArticle
    }

    /// The value's text, shortened for messages.
    func excerpt(_ i: Int) -> String {
        let raw = document.raw(i)
        if raw.count <= 60 { return String(decoding: raw, as: UTF8.self) }
        var end = 57
        while end > 0 && raw[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[0..<end]), as: UTF8.self) + "..."
    }

    func failAlternatives(_ i: Int, _ keyword: String, _ count: Int) {
        fail(i, keyword, "\(excerpt(i)) matches none of the \(count) \(keyword) alternatives")
    }

    /// `regex` on the string at `i` (a member key or a string value). A match PCRE2 cannot
    /// finish is remembered in `patternFailure` (and counts as no match until the run ends).
    func patternMatches(_ regex: PCRE2Regex, _ i: Int) -> Bool {
        let outcome: Result<Bool, PCRE2Regex.MatchError> = document.withStringBytes(i) { bytes in
            do throws(PCRE2Regex.MatchError) { return .success(try regex.matches(bytes)) } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let matched): return matched
        case .failure(let error):
            if patternFailure == nil {
                patternFailure = SchemaViolation(
                    keyword: "patternLimit", path: renderPath(),
                    message: "\(excerpt(i)) against /\(regex.pattern)/ could not be decided: PCRE2 \(error.message)")
            }
            return false
        }
    }

    func fail(_ i: Int, _ keyword: String, _ message: String) {
        violations.append(SchemaViolation(keyword: keyword, path: renderPath(), message: message))
    }

    /// `$`, `.name` for plain keys, `["odd key"]` otherwise, `[3]` for items.
    private func renderPath() -> String {
        var out = "$"
        for step in path {
            switch step {
            case .index(let k): out += "[\(k)]"
            case .key(let key): out += JSONPath.component(document.string(key) ?? "")
            }
        }
        return out
    }
}

/// JSONPath spelling shared by schema and chat checks.
public enum JSONPath {
    /// `.name` when `name` is an identifier, else `["name"]`.
    public static func component(_ name: String) -> String {
        var plain = !name.isEmpty
        for (k, scalar) in name.unicodeScalars.enumerated() {
            let letter = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || scalar == "_"
            let digit = scalar >= "0" && scalar <= "9"
            if !(letter || (k > 0 && digit)) {
                plain = false
                break
            }
        }
        return plain ? "." + name : "[" + JSONString.quoted(name) + "]"
    }
}
