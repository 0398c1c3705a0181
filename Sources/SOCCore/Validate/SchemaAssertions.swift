/// The keywords that assert on the value itself and evaluate no subschema (`type`, `pattern`,
/// `required`, ...). Apart from `apply` so that a node made only of them is checked without the
/// bookkeeping a walk into subschemas needs (see `SchemaEvaluator.evaluate`).
extension SchemaEvaluator {
    /// `keyword`, one for which `Keyword.isAssertion` holds, on the value at `i`.
    func applyAssertion(_ keyword: SchemaProgram.Keyword, _ i: Int, _ report: Bool) -> Bool {
        let kind = document.kind(i)
        switch keyword {
        case .type(let allowed):
            if matches(allowed, i) { return true }
            if report { fail(i, "type", "expected \(allowed.names), got \(describe(i))") }
            return false

        case .constant(let k):
            let value = program.values[Int(k)][0]
            if SchemaEquality.equal(document, i, value) { return true }
            if report { fail(i, "const", "expected \(value.serialized()), got \(excerpt(i))") }
            return false

        case .enumeration(let k):
            let values = program.values[Int(k)]
            for value in values where SchemaEquality.equal(document, i, value) { return true }
            if report { fail(i, "enum", "\(excerpt(i)) is not one of \(JSONValue.array(values).serialized())") }
            return false

        case .minimum(let k, let fast, let exclusive):
            guard kind == .number else { return true }
            let order = compare(i, k, fast)
            if exclusive ? order > 0 : order >= 0 { return true }
            if report {
                fail(
                    i, exclusive ? "exclusiveMinimum" : "minimum",
                    "\(excerpt(i)) is less than \(exclusive ? "or equal to " : "")\(program.limits[Int(k)].text)")
            }
            return false

        case .maximum(let k, let fast, let exclusive):
            guard kind == .number else { return true }
            let order = compare(i, k, fast)
            if exclusive ? order < 0 : order <= 0 { return true }
            if report {
                fail(
                    i, exclusive ? "exclusiveMaximum" : "maximum",
                    "\(excerpt(i)) is greater than \(exclusive ? "or equal to " : "")\(program.limits[Int(k)].text)")
            }
            return false

        case .multipleOf(let k, let fast):
            guard kind == .number else { return true }
            if isMultiple(i, k, fast) { return true }
            if report { fail(i, "multipleOf", "\(excerpt(i)) is not a multiple of \(program.limits[Int(k)].text)") }
            return false

        case .minLength(let limit):
            guard kind == .string, let length = lengthBelow(limit, i) else { return true }
            if report { fail(i, "minLength", "string of \(length) characters is shorter than \(limit)") }
            return false

        case .maxLength(let limit):
            guard kind == .string else { return true }
            let length = document.withStringBytes(i) { TextMeasure.characters($0) }
            if length <= limit { return true }
            if report { fail(i, "maxLength", "string of \(length) characters is longer than \(limit)") }
            return false

        case .pattern(let k):
            guard kind == .string else { return true }
            if let matched = simpleMatch(k, i) {
                if matched { return true }
            } else if patternMatches(program.regexes[Int(k)], i) {
                return true
            }
            let regex = program.regexes[Int(k)]
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
            guard kind == .array, document.count(i) > 1 else { return true }
            guard let (a, b) = firstRepeat(i) else { return true }
            if report { fail(i, "uniqueItems", "items \(a) and \(b) are equal") }
            return false

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

        case .required(let t):
            guard kind == .object else { return true }
            let table = program.tables[Int(t)]
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

        case .dependentRequired(let k):
            guard kind == .object else { return true }
            var valid = true
            for (trigger, names) in program.dependencies[Int(k)] where has(i, trigger) {
                for name in names where !has(i, name) {
                    valid = false
                    guard report else { return false }
                    fail(
                        i, "dependentRequired",
                        "property \(JSONString.quoted(trigger.name)) requires property \(JSONString.quoted(name.name))")
                }
            }
            return valid

        default:
            preconditionFailure("not an assertion keyword: \(keyword)")
        }
    }
}
