/// Walks over a document's values without recursion.
///
/// The tape lists values in document order and each container knows where its subtree ends
/// (`next`), so a subtree is the tape range `index..<next(index)`: walking it needs a stack of the
/// open objects only to tell keys from values, never the call stack. Records may nest as deep as
/// `--max-depth` allows; a recursive walker overflowed the stack at 100,000 levels.
extension JSONDocument {
    /// The tape index just past the subtree of the value at `index`.
    public func subtreeEnd(_ index: Int) -> Int { Int(nodes[index].next) }

    /// Calls `body` with every value (not key) in the subtree of `index`, itself first, in
    /// document order, and whether it is a key (`true`) or a value.
    public func forEachNode(in index: Int, _ body: (_ node: Int, _ isKey: Bool) -> Void) {
        let stop = subtreeEnd(index)
        // For each open object: the tape index of its next key, and the end of its subtree.
        var objects: [(nextKey: Int, end: Int)] = []
        var i = index
        while i < stop {
            while let top = objects.last, top.end <= i { objects.removeLast() }
            var isKey = false
            if let top = objects.last, top.nextKey == i {
                isKey = true
                objects[objects.count - 1].nextKey = subtreeEnd(i + 1)
            }
            body(i, isKey)
            if nodes[i].kind == .object, nodes[i].count > 0 { objects.append((i + 1, subtreeEnd(i))) }
            i += 1
        }
    }

    /// Calls `body` with every string value (not key) in the subtree of `index`, in document order.
    public func forEachString(in index: Int, _ body: (Int) -> Void) {
        forEachNode(in: index) { node, isKey in
            if !isKey && nodes[node].kind == .string { body(node) }
        }
    }

    /// The value at `index` as compact JSON (no insignificant white space, strings re-escaped
    /// minimally, numbers as written): what `value(index).serialized()` gives, without recursion.
    public func compactText(_ index: Int) -> [UInt8] {
        var out: [UInt8] = []
        let stop = subtreeEnd(index)
        // Open containers: where each ends, whether it is an object, its next key, and whether
        // a child was written yet.
        var open: [(end: Int, isObject: Bool, nextKey: Int, first: Bool)] = []
        var i = index
        while i < stop {
            while let top = open.last, top.end <= i {
                out.append(top.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                open.removeLast()
            }
            if var top = open.last {
                if top.isObject && top.nextKey != i {
                    out.append(UInt8(ascii: ":"))
                } else {
                    if !top.first { out.append(UInt8(ascii: ",")) }
                    top.first = false
                    if top.isObject { top.nextKey = subtreeEnd(i + 1) }
                    open[open.count - 1] = top
                }
            }
            switch nodes[i].kind {
            case .array, .object:
                let isObject = nodes[i].kind == .object
                out.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
                open.append((subtreeEnd(i), isObject, i + 1, true))
            case .string:
                if hasEscapes(i) {
                    JSONString.unescape(stringContent(i)).withUnsafeBytes {
                        JSONString.appendQuoted(utf8: $0, to: &out)
                    }
                } else {
                    out.append(contentsOf: raw(i))
                }
            default:
                out.append(contentsOf: raw(i))
            }
            i += 1
        }
        while let top = open.popLast() { out.append(top.isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) }
        return out
    }

    /// A materialized copy of the value at `index`, built without recursion. An object with a
    /// key given twice keeps the key where it first appeared and the value it was given last, as
    /// Python's `json.loads` and jq do.
    public func value(_ index: Int = 0) -> JSONValue {
        var frames: [MaterializingFrame] = []
        var result: JSONValue = .null
        func deliver(_ value: JSONValue) {
            if frames.isEmpty { result = value } else { frames[frames.count - 1].items.append(value) }
        }
        forEachNode(in: index) { node, isKey in
            // Close the containers that ended before this node.
            while let top = frames.last, top.end <= node {
                frames.removeLast()
                deliver(top.build())
            }
            if isKey {
                frames[frames.count - 1].keys.append(string(node)!)
                return
            }
            switch nodes[node].kind {
            case .array, .object:
                if nodes[node].count == 0 {
                    deliver(nodes[node].kind == .object ? .object([]) : .array([]))
                } else {
                    frames.append(MaterializingFrame(end: subtreeEnd(node), isObject: nodes[node].kind == .object))
                }
            case .null: deliver(.null)
            case .true: deliver(.bool(true))
            case .false: deliver(.bool(false))
            case .number: deliver(.number(JSONNumber(text: String(decoding: raw(node), as: UTF8.self))))
            case .string: deliver(.string(string(node)!))
            }
        }
        while let top = frames.popLast() { deliver(top.build()) }
        return result
    }
}

/// A container being materialized by `JSONDocument.value(_:)`: its children so far.
private struct MaterializingFrame {
    var end: Int
    var isObject: Bool
    var items: [JSONValue] = []
    var keys: [String] = []

    /// The finished value; a repeated key keeps its first place and its last value.
    func build() -> JSONValue {
        guard isObject else { return .array(items) }
        var members: [(String, JSONValue)] = []
        members.reserveCapacity(keys.count)
        // Compared as UTF-8 bytes: Swift's String == would also merge canonically equal keys.
        var position: [[UInt8]: Int] = [:]
        for (key, item) in zip(keys, items) {
            if let k = position[Array(key.utf8)] {
                members[k].1 = item
            } else {
                position[Array(key.utf8)] = members.count
                members.append((key, item))
            }
        }
        return .object(members)
    }
}
