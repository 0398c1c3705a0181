/// An object schema made of `type` and a fused `shape` whose property schemas are all quick
/// leaves (`SchemaQuickCheck`), `$ref`s to one, arrays whose `items` is one, or `true` /
/// `false`, checked in one pass over the members with
/// no keyword dispatch and no walk bookkeeping: a SOC chat part
/// (`{"sender": {pattern}, "messages": {"type": "array", ...}}`) is one, seventeen per chat,
/// and so is an SPB persona.
///
/// Hand-written hot path. Measured (soc-validate --threads 1 --rejects /dev/null real20.jsonl,
/// callgrind): see the commit. Yes/no only, like `SchemaQuickCheck`: reporting passes and
/// passes that collect evaluated members run the keywords themselves.
struct SchemaQuickObject {
    /// The `type` keyword's set, when `hasType`.
    var types = SchemaTypeSet()
    var hasType = false
    /// The shape's property table (kept alive by the program's `tables`).
    var table: Unmanaged<PropertyTable>
    /// Where the property schemas' codes start in `SchemaProgram.quickObjectChildren`: per
    /// property, its `quickChecks` index, or `alwaysValid` / `neverValid`.
    var children: Int32
    var required: UInt64
    var closed: Bool

    /// True when a walk from `depth` (the evaluator's depth before it enters the object) would
    /// look at the stack at none of the three levels a quick object covers: the object, its
    /// properties, and the items or `$ref` target of a property (`(depth + k) & 7 == 0` for k
    /// in 1...3). Only then is the quick path taken, so that verdicts and the point where a
    /// record is found too deep stay what the walk gives.
    @inline(__always)
    static func fits(_ depth: Int) -> Bool {
        let level = (depth + 1) & 7
        return level != 0 && level < 6
    }

    /// A property schema of `true`.
    static let alwaysValid: Int32 = -1
    /// A property schema of `false`.
    static let neverValid: Int32 = -2

    /// The quick form of a node's yes/no keywords, or nil when they are not `type` (at most
    /// once) and one `shape` whose every property schema `code` gives a code for. The codes of
    /// the property schemas are appended to `codes`.
    static func compile(
        _ keywords: ArraySlice<SchemaProgram.Keyword>, tables: [PropertyTable],
        items: (SchemaProgram.List) -> [Int32], code: (Int32) -> Int32?, codes: inout [Int32]
    ) -> SchemaQuickObject? {
        var types = SchemaTypeSet()
        var hasType = false
        var shape: (table: Int32, list: SchemaProgram.List, required: UInt64, closed: Bool)?
        for keyword in keywords {
            switch keyword {
            case .type(let set):
                guard !hasType else { return nil }
                types = set
                hasType = true
            case .shape(let t, let list, let required, let closed):
                guard shape == nil else { return nil }
                shape = (t, list, required, closed)
            default:
                return nil
            }
        }
        guard let shape else { return nil }
        var children: [Int32] = []
        for schema in items(shape.list) {
            guard let child = code(schema) else { return nil }
            children.append(child)
        }
        let start = Int32(codes.count)
        codes.append(contentsOf: children)
        return SchemaQuickObject(
            types: types, hasType: hasType, table: Unmanaged.passUnretained(tables[Int(shape.table)]),
            children: start, required: shape.required, closed: shape.closed)
    }
}

extension SchemaEvaluator {
    /// The yes/no verdict of `object`'s keywords on the value at `i`: what `type` and `shape`
    /// (`SchemaKeywords.swift`) decide, in that order, with each property checked by `holds`.
    @inline(__always)
    func holds(_ object: SchemaQuickObject, _ i: Int) -> Bool {
        if object.hasType && !matches(object.types, i) { return false }
        guard document.kind(i) == .object else { return true }
        return object.table._withUnsafeGuaranteedRef { table in
            holdsShape(i, table, required: object.required, closed: object.closed) { k, value in
                let code = program.quickObjectChildren[Int(object.children) + k]
                if code >= 0 { return holds(quick: code, value) }
                return code != SchemaQuickObject.neverValid
            }
        }
    }

    /// The yes/no verdict of a `shape` keyword (`table`, `required`, `closed`) on the object at
    /// `i`, each named property's value checked by `property(k, value)` (k: the property's
    /// index in `table`). One walk for the keyword (`SchemaKeywords.swift`) and the quick
    /// object; inlined into both, so `property` costs no call.
    @inline(__always)
    func holdsShape(
        _ i: Int, _ table: PropertyTable, required: UInt64, closed: Bool, property: (Int, Int) -> Bool
    ) -> Bool {
        var found: UInt64 = 0
        var repeated = false
        var position = 0
        for key in document.memberKeys(i) {
            let k = table.index(of: key, expected: position, in: document)
            position += 1
            if k < 0 {
                if closed { return false }
                continue
            }
            repeated = repeated || found & (1 << UInt64(k)) != 0
            found |= 1 << UInt64(k)
            if !property(k, key + 1) { return false }
        }
        // Every key named a different property: no key is repeated (equal keys name one).
        if closed && !repeated { distinctKeys.insert(i) }
        return found & required == required
    }
}
