/// What each applicator keyword does, over the tape (assertions: `SchemaAssertions.swift`). Split
/// from `SchemaEvaluator` (the walk) to keep each file about one thing.
extension SchemaEvaluator {
    func apply(_ keyword: SchemaProgram.Keyword, _ i: Int, _ evaluated: inout EvaluatedSet?, _ report: Bool) -> Bool {
        let kind = document.kind(i)
        switch keyword {
        case .type, .enumeration, .constant, .minimum, .maximum, .multipleOf, .minLength, .maxLength, .pattern,
            .format, .minItems, .maxItems, .uniqueItems, .minProperties, .maxProperties, .required, .dependentRequired:
            return applyAssertion(keyword, i, report)

        case .prefixItems(let list):
            guard kind == .array else { return true }
            let schemas = program.items(list)
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
            let typeOnly = program.nodes[Int(schema)].typeOnly
            if !typeOnly.isEmpty && !report {
                // The common `items: {"type": ...}`: no call per element.
                for (k, element) in document.elements(i).enumerated() where k >= after && !matches(typeOnly, element) {
                    return false
                }
            } else {
                for (k, element) in document.elements(i).enumerated() where k >= after {
                    guard report else {
                        if !check(schema, element) { return false }
                        continue
                    }
                    var none: EvaluatedSet?
                    if !child(.index(k), report, { evaluate(schema, element, &none, report) }) { valid = false }
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
                if report {
                    fail(
                        i, minimum == 1 ? "contains" : "minContains",
                        found == 0
                            ? "no item matches the contains schema"
                            : "\(found) items match the contains schema, fewer than \(minimum)")
                }
                return false
            }
            if maximum >= 0, found > maximum {
                if report { fail(i, "maxContains", "\(found) items match the contains schema, more than \(maximum)") }
                return false
            }
            return true

        case .properties(let t, let list):
            guard kind == .object else { return true }
            let table = program.tables[Int(t)]
            let schemas = program.items(list)
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

        case .patternProperties(let regexList, let schemaList):
            guard kind == .object else { return true }
            let regexes = program.items(regexList)
            let schemas = program.items(schemaList)
            var valid = true
            for key in document.memberKeys(i) {
                for k in 0..<regexes.count {
                    let regex = program.regexes[Int(regexes[k])]
                    guard patternMatches(regex, key) else { continue }
                    var none: EvaluatedSet?
                    if !child(.key(key), report, { evaluate(schemas[k], key + 1, &none, report) }) {
                        valid = false
                        if !report { return false }
                    }
                    evaluated?.properties.insert(key)
                }
            }
            return valid

        case .additionalProperties(let schema, let known, let patternList):
            guard kind == .object else { return true }
            let table = program.tables[Int(known)]
            let patterns = program.items(patternList)
            let forbidden = program.nodes[Int(schema)].constant == 0
            var valid = true
            for key in document.memberKeys(i) {
                if table.index(of: key, in: document) >= 0 { continue }
                if patterns.contains(where: { k in patternMatches(program.regexes[Int(k)], key) }) { continue }
                evaluated?.properties.insert(key)
                if forbidden {
                    valid = false
                    guard report else { return false }
                    _ = child(.key(key), report) {
                        fail(
                            key + 1, "additionalProperties",
                            "property \(JSONString.quoted(document.string(key) ?? "")) is not allowed")
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

        case .shape(let t, let list, let required, let closed):
            guard kind == .object else { return true }
            let table = program.tables[Int(t)]
            let schemas = program.items(list)
            return holdsShape(i, table, required: required, closed: closed) { k, value in check(schemas[k], value) }

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

        case .dependentSchemas(let t, let list):
            guard kind == .object else { return true }
            let table = program.tables[Int(t)]
            let schemas = program.items(list)
            var valid = true
            for key in document.memberKeys(i) {
                let k = table.index(of: key, in: document)
                if k >= 0, !evaluate(schemas[k], i, &evaluated, report) {
                    valid = false
                    if !report { return false }
                }
            }
            return valid

        case .allOf(let list):
            var valid = true
            for schema in program.items(list) where !evaluate(schema, i, &evaluated, report) {
                valid = false
                if !report { return false }
            }
            return valid

        case .anyOf(let list):
            var valid = false
            for schema in program.items(list) {
                if evaluated == nil {
                    var none: EvaluatedSet?
                    if evaluate(schema, i, &none, false) { return true }
                } else if evaluate(schema, i, &evaluated, false) {
                    valid = true
                }
            }
            if !valid && report { failAlternatives(i, "anyOf", Int(list.count)) }
            return valid

        case .oneOf(let list):
            var matched = 0
            var matchedSet: EvaluatedSet?
            for schema in program.items(list) {
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
                if matched == 0 {
                    failAlternatives(i, "oneOf", Int(list.count))
                } else {
                    fail(i, "oneOf", "\(excerpt(i)) matches more than one oneOf alternative")
                }
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
                return then < 0 || evaluate(then, i, &evaluated, report)
            }
            return otherwise < 0 || evaluate(otherwise, i, &evaluated, report)

        case .ref(let target):
            return evaluate(target, i, &evaluated, report)

        case .dynamicRef(let target, let anchor):
            var resolved = target
            if anchor >= 0 {
                let name = program.anchorNames[Int(anchor)]
                for resource in scope where Int(resource) < program.dynamicAnchors.count {
                    if let found = program.dynamicAnchors[Int(resource)][name] {
                        resolved = Int32(found)
                        break
                    }
                }
            }
            return evaluate(resolved, i, &evaluated, report)

        case .recursiveRef(let target):
            // 2019-09: when the target (a resource root) has `$recursiveAnchor: true`, walk the
            // dynamic scope outwards while each resource's root has one too; the last is used.
            var resolved = target
            let anchors = program.dynamicAnchors
            let resource = Int(program.nodes[Int(target)].resource)
            if resource < anchors.count, anchors[resource][""] == Int(target) {
                var k = scope.count - 1
                while k >= 0, Int(scope[k]) < anchors.count, let root = anchors[Int(scope[k])][""] {
                    resolved = Int32(root)
                    k -= 1
                }
            }
            return evaluate(resolved, i, &evaluated, report)

        case .unevaluatedItems(let schema):
            guard kind == .array else { return true }
            let done = evaluated ?? EvaluatedSet()
            if done.allItems { return true }
            var valid = true
            for (k, element) in document.elements(i).enumerated() where !done.items.contains(k) {
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
            let forbidden = program.nodes[Int(schema)].constant == 0
            var valid = true
            for key in document.memberKeys(i) where !done.properties.contains(key) {
                var none: EvaluatedSet?
                if !child(
                    .key(key), report,
                    { () -> Bool in
                        if forbidden {
                            if report {
                                fail(
                                    key + 1, "unevaluatedProperties",
                                    "property \(JSONString.quoted(document.string(key) ?? "")) is not allowed")
                            }
                            return false
                        }
                        return evaluate(schema, key + 1, &none, report)
                    })
                {
                    valid = false
                    if !report { return false }
                }
            }
            evaluated?.allProperties = true
            return valid
        }
    }
}
