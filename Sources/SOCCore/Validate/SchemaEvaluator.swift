#if canImport(Glibc)
import Glibc
#endif

/// One way an instance fails a schema: the keyword, where in the instance, and why.
public struct SchemaViolation: Sendable, Equatable {
    /// The schema keyword that failed (`required`, `type`, `additionalProperties`, ...).
    public var keyword: String
    /// A JSONPath to the failing value: `$.chat_parts[3].sender`.
    public var path: String
    /// What is wrong, for a person.
    public var message: String
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
    // Accessed once or more per keyword; the evaluator is single-threaded and never re-enters
    // an access, so the dynamic exclusivity checks (measured at a few % of a run) are skipped.
    @exclusivity(unchecked) var document: JSONDocument
    @exclusivity(unchecked) var scope: [Int32] = []
    @exclusivity(unchecked) var path: [PathStep] = []
    @exclusivity(unchecked) private(set) var violations: [SchemaViolation] = []
    @exclusivity(unchecked) private var depth = 0
    /// The first `pattern` PCRE2 could not decide (match or depth limit) in this run: the
    /// record's verdict is then unknown, reported as `schema_pattern_limit`, never a yes or no.
    @exclusivity(unchecked) var patternFailure: SchemaViolation?

    enum PathStep {
        case key(Int)
        case index(Int)
    }

    init(program: SchemaProgram) {
        self.program = program
        document = JSONDocument(bytes: UnsafeRawBufferPointer(start: nil, count: 0), nodes: UnsafeBufferPointer(start: nil, count: 0))
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
        var none: EvaluatedSet?
        return evaluate(0, index, &none, report)
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
        depth += 1
        defer { depth -= 1 }
        if depth > 2000 {
            if report { fail(i, "$ref", "schema recursion is deeper than 2000 levels") }
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
        for k in first..<first + count where !apply(program.keywords[k], i, &local, report) {
            valid = false
            if !report { break }
        }
        if valid, evaluated != nil, let local { evaluated!.merge(local) }
        return valid
    }

    @inline(__always)
    func child(_ step: PathStep, _ report: Bool, _ body: () -> Bool) -> Bool {
        guard report else { return body() }
        path.append(step)
        defer { path.removeLast() }
        return body()
    }

    // MARK: - Helpers

    @inline(__always)
    func matches(_ allowed: SchemaTypeSet, _ i: Int) -> Bool {
        switch document.kind(i) {
        case .null: return allowed.contains(.null)
        case .true, .false: return allowed.contains(.boolean)
        case .string: return allowed.contains(.string)
        case .array: return allowed.contains(.array)
        case .object: return allowed.contains(.object)
        case .number:
            if allowed.contains(.number) { return true }
            return allowed.contains(.integer) && SchemaEquality.isIntegral(document, i)
        }
    }

    @inline(__always)
    func has(_ object: Int, _ name: PropertyName) -> Bool {
        name.bytes.withUnsafeBytes { document.member(object, $0) } != nil
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
            do throws(PCRE2Regex.MatchError) { return .success(try regex.matches(bytes)) } catch { return .failure(error) }
        }
        switch outcome {
        case .success(let matched): return matched
        case .failure(let error):
            if patternFailure == nil {
                patternFailure = SchemaViolation(keyword: "patternLimit", path: renderPath(), message: "\(excerpt(i)) against /\(regex.pattern)/ could not be decided: PCRE2 \(error.message)")
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
            if !(letter || (k > 0 && digit)) { plain = false; break }
        }
        return plain ? "." + name : "[" + JSONString.quoted(name) + "]"
    }
}
