import SOCCore

/// The parser never crashes; on a document it accepts, replacing every string value through
/// `JSONEdit` gives a line that parses to the same shape with the new strings in place.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let depth = Int(input.byte() % 64) + 1
    let line = input.rest
    let parser = JSONParser(maxDepth: depth)
    line.withUnsafeBytes { raw in
        guard case .success(let document) = parser.parse(raw) else { return }
        fuzzCheck(document.nodes.count >= 1, "empty tape")
        // Every value's span lies inside the line; children inside parents.
        for k in 0..<document.nodes.count {
            let node = document.nodes[k]
            fuzzCheck(node.start >= 0 && node.start <= node.end && Int(node.end) <= raw.count, "span out of line")
            fuzzCheck(Int(node.next) > k && Int(node.next) <= document.nodes.count, "bad next link")
        }
        // Splice a replacement into each string value, then reparse.
        var edits: [JSONEdit] = []
        var replaced: [Int: String] = [:]
        let keys = keyIndices(document)
        for k in 0..<document.nodes.count where document.kind(k) == .string && !keys.contains(k) {
            let text = "é\"\\\u{1}" + String(k) + (document.string(k) ?? "")
            edits.append(JSONEdit.replaceString(in: document, at: k, with: text))
            replaced[k] = text
        }
        let shape = document.nodes.map { ($0.kind, $0.count, $0.next) }
        let spliced = JSONEdit.apply(edits, to: raw)
        let again = JSONParser(maxDepth: depth)
        spliced.withUnsafeBytes { newRaw in
            guard case .success(let after) = again.parse(newRaw) else {
                fuzzCheck(false, "spliced line does not parse")
                return
            }
            fuzzCheck(after.nodes.count == shape.count, "node count changed")
            for k in 0..<shape.count {
                fuzzCheck(
                    after.nodes[k].kind == shape[k].0 && after.nodes[k].count == shape[k].1
                        && after.nodes[k].next == shape[k].2, "shape changed at \(k)")
                if let text = replaced[k] {
                    fuzzCheck(after.string(k) == text, "replacement not read back at \(k)")
                } else if after.kind(k) == .number {
                    fuzzCheck(after.raw(k).elementsEqual(document.raw(k)), "number text changed")
                }
            }
        }
        // Materializing and serializing is a fixed point after one round. (Not `==` on the values:
        // JSONValue's == reads an object's first member of a name, so `{"a":0,"a":9}` is not
        // equal to itself; finding J1 in docs/reliability.md.)
        let text = document.value().serialized()
        if case .success(let reparsed) = JSONValue.parse(Array(text.utf8), maxDepth: depth + 1) {
            fuzzCheck(reparsed.serialized() == text, "serialize round trip differs")
        } else {
            fuzzCheck(false, "serialized value does not parse")
        }
    }
    return 0
}

/// The tape indices of object keys (keys are not values to replace).
private func keyIndices(_ document: JSONDocument) -> Set<Int> {
    var keys: Set<Int> = []
    for p in 0..<document.nodes.count where document.kind(p) == .object {
        for key in document.memberKeys(p) { keys.insert(key) }
    }
    return keys
}
