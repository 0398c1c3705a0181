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
    let nodes: [SchemaNode]
    let dynamicAnchors: [[String: Int]]
    private var document: JSONDocument
    private var scope: [Int] = []
    private var path: [PathStep] = []
    private(set) var violations: [SchemaViolation] = []
    private var depth = 0

    enum PathStep {
        case key(Int)
        case index(Int)
    }

    init(nodes: [SchemaNode], dynamicAnchors: [[String: Int]]) {
        self.nodes = nodes
        self.dynamicAnchors = dynamicAnchors
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
        depth = 0
        var none: EvaluatedSet?
        return evaluate(0, index, &none, report)
    }

    // MARK: - Nodes

    private func evaluate(_ n: Int, _ i: Int, _ evaluated: inout EvaluatedSet?, _ report: Bool) -> Bool {
        let node = nodes[n]
        if let constant = node.constant {
            if !constant && report { fail(i, "false", "no value is allowed here") }
            return constant
        }
        // Most subschemas of record schemas are a bare `type` (each message, each trait).
        if let only = node.typeOnly, evaluated == nil, !report {
            return matches(only, i)
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
        // Indexing the buffer passes each keyword borrowed; a for-in would copy (retain) its payload.
        node.keywords.withUnsafeBufferPointer { keywords in
            for k in 0..<keywords.count where !apply(keywords[k], i, &local, report) {
                valid = false
                if !report { break }
            }
        }
        if valid, evaluated != nil, let local { evaluated!.merge(local) }
        return valid
    }

    @inline(__always)
    private func child(_ step: PathStep, _ report: Bool, _ body: () -> Bool) -> Bool {
        guard report else { return body() }
        path.append(step)
        defer { path.removeLast() }
        return body()
    }

    // MARK: - Keywords

    private func apply(_ keyword: SchemaKeyword, _ i: Int, _ evaluated: inout EvaluatedSet?, _ report: Bool) -> Bool {
        let kind = document.kind(i)
        switch keyword {
        case .type(let allowed):
            if matches(allowed, i) { return true }
            if report { fail(i, "type", "expected \(allowed.names), got \(describe(i))") }
            return false

        case .constant(let value):
            if SchemaEquality.equal(document, i, value) { return true }
            if report { fail(i, "const", "expected \(value.serialized()), got \(excerpt(i))") }
            return false

        case .enumeration(let values):
            for value in values where SchemaEquality.equal(document, i, value) { return true }
            if report { fail(i, "enum", "\(excerpt(i)) is not one of \(JSONValue.array(values).serialized())") }
            return false

        case .minimum(let limit, let exclusive):
            guard kind == .number, let value = document.double(i) else { return true }
            if exclusive ? value > limit : value >= limit { return true }
            if report { fail(i, keyword.name, "\(excerpt(i)) is less than \(exclusive ? "or equal to " : "")\(JSONNumber(limit))") }
            return false

        case .maximum(let limit, let exclusive):
            guard kind == .number, let value = document.double(i) else { return true }
            if exclusive ? value < limit : value <= limit { return true }
            if report { fail(i, keyword.name, "\(excerpt(i)) is greater than \(exclusive ? "or equal to " : "")\(JSONNumber(limit))") }
            return false

        case .multipleOf(let divisor):
            guard kind == .number, let value = document.double(i) else { return true }
            if Self.isMultiple(value, of: divisor) { return true }
            if report { fail(i, "multipleOf", "\(excerpt(i)) is not a multiple of \(JSONNumber(divisor))") }
            return false

        case .minLength(let limit):
            guard kind == .string else { return true }
            let length = document.withStringBytes(i) { TextMeasure.characters($0) }
            if length >= limit { return true }
            if report { fail(i, "minLength", "string of \(length) characters is shorter than \(limit)") }
            return false

        case .maxLength(let limit):
            guard kind == .string else { return true }
            let length = document.withStringBytes(i) { TextMeasure.characters($0) }
            if length <= limit { return true }
            if report { fail(i, "maxLength", "string of \(length) characters is longer than \(limit)") }
            return false

        case .pattern(let regex):
            guard kind == .string else { return true }
            if document.withStringBytes(i, { regex.matches($0) }) { return true }
            if report { fail(i, "pattern", "\(excerpt(i)) does not match /\(regex.pattern)/") }
            return false

        case .format(let format):
            guard kind == .string else { return true }
            if document.withStringBytes(i, { format.accepts($0) }) { return true }
            if report { fail(i, "format", "\(excerpt(i)) is not a valid \(format.rawValue)") }
            return false

        case .minItems(let limit):
            guard kind == .array else { return true }
            if document.count(i) >= limit { return true }
            if report { fail(i, "minItems", "array of \(document.count(i)) items has fewer than \(limit)") }
            return false

        case .maxItems(let limit):
            guard kind == .array else { return true }
            if document.count(i) <= limit { return true }
            if report { fail(i, "maxItems", "array of \(document.count(i)) items has more than \(limit)") }
            return false

        case .uniqueItems:
            guard kind == .array else { return true }
            let items = Array(document.elements(i))
            for a in 0..<items.count {
                for b in (a + 1)..<max(a + 1, items.count) where SchemaEquality.equal(document, items[a], items[b]) {
                    if report { fail(i, "uniqueItems", "items \(a) and \(b) are equal") }
                    return false
                }
            }
            return true

        case .minProperties(let limit):
            guard kind == .object else { return true }
            if document.count(i) >= limit { return true }
            if report { fail(i, "minProperties", "object of \(document.count(i)) properties has fewer than \(limit)") }
            return false

        case .maxProperties(let limit):
            guard kind == .object else { return true }
            if document.count(i) <= limit { return true }
            if report { fail(i, "maxProperties", "object of \(document.count(i)) properties has more than \(limit)") }
            return false

        case .required(let table):
            guard kind == .object else { return true }
            if table.count <= 64 {
                // One pass over the members marks the required names present.
                var found: UInt64 = 0
                for key in document.memberKeys(i) {
                    let k = table.index(of: key, in: document)
                    if k >= 0 { found |= 1 << UInt64(k) }
                }
                let all: UInt64 = table.count == 64 ? ~0 : (1 << UInt64(table.count)) - 1
                if found == all { return true }
                guard report else { return false }
                for k in 0..<table.count where found & (1 << UInt64(k)) == 0 {
                    fail(i, "required", "missing required property \(JSONString.quoted(table.names[k]))")
                }
                return false
            }
            var valid = true
            for name in table.names where document.member(i, name) == nil {
                valid = false
                guard report else { return false }
                fail(i, "required", "missing required property \(JSONString.quoted(name))")
            }
            return valid

        case .dependentRequired(let rules):
            guard kind == .object else { return true }
            var valid = true
            for (trigger, names) in rules where has(i, trigger) {
                for name in names where !has(i, name) {
                    valid = false
                    guard report else { return false }
                    fail(i, "dependentRequired", "property \(JSONString.quoted(trigger.name)) requires property \(JSONString.quoted(name.name))")
                }
            }
            return valid

        case .prefixItems(let schemas):
            guard kind == .array else { return true }
            var valid = true
            for (k, element) in document.elements(i).enumerated() {
                guard k < schemas.count else { break }
                var none: EvaluatedSet?
                if !child(.index(k), report, { evaluate(schemas[k], element, &none, report) }) {
                    valid = false
                    if !report { return false }
                }
                evaluated?.items.insert(k)
            }
            return valid

        case .items(let schema, let after):
            guard kind == .array else { return true }
            var valid = true
            for (k, element) in document.elements(i).enumerated() where k >= after {
                var none: EvaluatedSet?
                if !child(.index(k), report, { evaluate(schema, element, &none, report) }) {
                    valid = false
                    if !report { return false }
                }
            }
            evaluated?.allItems = true
            return valid

        case .contains(let schema, let minimum, let maximum):
            guard kind == .array else { return true }
            var found = 0
            for (k, element) in document.elements(i).enumerated() {
                var none: EvaluatedSet?
                if evaluate(schema, element, &none, false) {
                    found += 1
                    evaluated?.items.insert(k)
                }
            }
            if found < minimum {
                if report { fail(i, minimum == 1 ? "contains" : "minContains", found == 0 ? "no item matches the contains schema" : "\(found) items match the contains schema, fewer than \(minimum)") }
                return false
            }
            if let maximum, found > maximum {
                if report { fail(i, "maxContains", "\(found) items match the contains schema, more than \(maximum)") }
                return false
            }
            return true

        case .properties(let table, let schemas):
            guard kind == .object else { return true }
            var valid = true
            for key in document.memberKeys(i) {
                let k = table.index(of: key, in: document)
                guard k >= 0 else { continue }
                var none: EvaluatedSet?
                if !child(.key(key), report, { evaluate(schemas[k], key + 1, &none, report) }) {
                    valid = false
                    if !report { return false }
                }
                evaluated?.properties.insert(key)
            }
            return valid

        case .patternProperties(let schemas):
            guard kind == .object else { return true }
            var valid = true
            for key in document.memberKeys(i) {
                for (regex, schema) in schemas where document.withStringBytes(key, { regex.matches($0) }) {
                    var none: EvaluatedSet?
                    if !child(.key(key), report, { evaluate(schema, key + 1, &none, report) }) {
                        valid = false
                        if !report { return false }
                    }
                    evaluated?.properties.insert(key)
                }
            }
            return valid

        case .additionalProperties(let schema, let known, let patterns):
            guard kind == .object else { return true }
            var valid = true
            for key in document.memberKeys(i) {
                if known.index(of: key, in: document) >= 0 { continue }
                if patterns.contains(where: { regex in document.withStringBytes(key) { regex.matches($0) } }) { continue }
                evaluated?.properties.insert(key)
                if nodes[schema].constant == false {
                    valid = false
                    guard report else { return false }
                    _ = child(.key(key), report) {
                        fail(key + 1, "additionalProperties", "property \(JSONString.quoted(document.string(key) ?? "")) is not allowed")
                        return false
                    }
                    continue
                }
                var none: EvaluatedSet?
                if !child(.key(key), report, { evaluate(schema, key + 1, &none, report) }) {
                    valid = false
                    if !report { return false }
                }
            }
            return valid

        case .propertyNames(let schema):
            guard kind == .object else { return true }
            var valid = true
            for key in document.memberKeys(i) {
                var none: EvaluatedSet?
                if !child(.key(key), report, { evaluate(schema, key, &none, report) }) {
                    valid = false
                    if !report { return false }
                }
            }
            return valid

        case .dependentSchemas(let rules):
            guard kind == .object else { return true }
            var valid = true
            for (trigger, schema) in rules where has(i, trigger) {
                if !evaluate(schema, i, &evaluated, report) {
                    valid = false
                    if !report { return false }
                }
            }
            return valid

        case .allOf(let schemas):
            var valid = true
            for schema in schemas where !evaluate(schema, i, &evaluated, report) {
                valid = false
                if !report { return false }
            }
            return valid

        case .anyOf(let schemas):
            var valid = false
            for schema in schemas {
                if evaluated == nil {
                    var none: EvaluatedSet?
                    if evaluate(schema, i, &none, false) { return true }
                } else if evaluate(schema, i, &evaluated, false) {
                    valid = true
                }
            }
            if !valid && report { failAlternatives(i, "anyOf", schemas) }
            return valid

        case .oneOf(let schemas):
            var matched = 0
            var matchedSet: EvaluatedSet?
            for schema in schemas {
                var local: EvaluatedSet? = evaluated == nil ? nil : EvaluatedSet()
                if evaluate(schema, i, &local, false) {
                    matched += 1
                    matchedSet = local
                    if matched > 1 { break }
                }
            }
            if matched == 1 {
                if let matchedSet { evaluated?.merge(matchedSet) }
                return true
            }
            if report {
                if matched == 0 { failAlternatives(i, "oneOf", schemas) } else { fail(i, "oneOf", "\(excerpt(i)) matches more than one oneOf alternative") }
            }
            return false

        case .not(let schema):
            var none: EvaluatedSet?
            if !evaluate(schema, i, &none, false) { return true }
            if report { fail(i, "not", "\(excerpt(i)) must not match the not schema") }
            return false

        case .conditional(let condition, let then, let otherwise):
            var local: EvaluatedSet? = evaluated == nil ? nil : EvaluatedSet()
            if evaluate(condition, i, &local, false) {
                if let local { evaluated?.merge(local) }
                guard let then else { return true }
                return evaluate(then, i, &evaluated, report)
            }
            guard let otherwise else { return true }
            return evaluate(otherwise, i, &evaluated, report)

        case .ref(let target):
            return evaluate(target, i, &evaluated, report)

        case .dynamicRef(let target, let anchor):
            var resolved = target
            if let anchor {
                for resource in scope where resource < dynamicAnchors.count {
                    if let found = dynamicAnchors[resource][anchor] {
                        resolved = found
                        break
                    }
                }
            }
            return evaluate(resolved, i, &evaluated, report)

        case .unevaluatedItems(let schema):
            guard kind == .array else { return true }
            let done = evaluated ?? EvaluatedSet()
            if done.allItems { return true }
            var valid = true
            for (k, element) in document.elements(i).enumerated() where !done.items.contains(k) {
                if nodes[schema].constant == false, !report { return false }
                var none: EvaluatedSet?
                if !child(.index(k), report, { evaluate(schema, element, &none, report) }) {
                    valid = false
                    if !report { return false }
                }
            }
            evaluated?.allItems = true
            return valid

        case .unevaluatedProperties(let schema):
            guard kind == .object else { return true }
            let done = evaluated ?? EvaluatedSet()
            if done.allProperties { return true }
            var valid = true
            for key in document.memberKeys(i) where !done.properties.contains(key) {
                var none: EvaluatedSet?
                if !child(.key(key), report, { () -> Bool in
                    if nodes[schema].constant == false {
                        if report { fail(key + 1, "unevaluatedProperties", "property \(JSONString.quoted(document.string(key) ?? "")) is not allowed") }
                        return false
                    }
                    return evaluate(schema, key + 1, &none, report)
                }) {
                    valid = false
                    if !report { return false }
                }
            }
            evaluated?.allProperties = true
            return valid
        }
    }

    // MARK: - Helpers

    @inline(__always)
    private func matches(_ allowed: SchemaTypeSet, _ i: Int) -> Bool {
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
    private func keyEquals(_ key: Int, _ name: PropertyName) -> Bool {
        name.bytes.withUnsafeBytes { document.stringEquals(key, $0) }
    }

    @inline(__always)
    private func has(_ object: Int, _ name: PropertyName) -> Bool {
        name.bytes.withUnsafeBytes { document.member(object, $0) } != nil
    }

    static func isMultiple(_ value: Double, of divisor: Double) -> Bool {
        if value == value.rounded(), divisor == divisor.rounded(), abs(value) < 9e15, abs(divisor) < 9e15 {
            return Int64(value) % Int64(divisor) == 0
        }
        let quotient = value / divisor
        guard quotient.isFinite else { return false }
        return abs(quotient - quotient.rounded()) <= 1e-9 * max(1, abs(quotient))
    }

    private func describe(_ i: Int) -> String {
        if document.kind(i) == .number { return SchemaEquality.isIntegral(document, i) ? "an integer" : "a number" }
        return document.kind(i).nameWithArticle
    }

    /// The value's text, shortened for messages.
    private func excerpt(_ i: Int) -> String {
        let raw = document.raw(i)
        if raw.count <= 60 { return String(decoding: raw, as: UTF8.self) }
        var end = 57
        while end > 0 && raw[end] & 0xC0 == 0x80 { end -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[0..<end]), as: UTF8.self) + "..."
    }

    private func failAlternatives(_ i: Int, _ keyword: String, _ schemas: [Int]) {
        fail(i, keyword, "\(excerpt(i)) matches none of the \(schemas.count) \(keyword) alternatives")
    }

    private func fail(_ i: Int, _ keyword: String, _ message: String) {
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
