#if canImport(Glibc)
    import Glibc
#endif

/// Finds a key given twice in one object, at any depth of a record.
///
/// Keys are compared after unescaping (`"a"` and `"\u0061"` are one key) by their UTF-16 code
/// units (lone surrogates are not folded into U+FFFD). The other tools read the last of a
/// repeated key, as Python does; soc-validate rejects the record, since two readers of it can
/// disagree. One pass over the tape, no recursion.
public enum DuplicateKeyCheck {
    /// Objects with more keys than this are checked with a set instead of pairwise.
    static let pairwiseLimit = 16

    /// The first repeated key in document order: the tape index of its second occurrence, or nil.
    /// Objects for which `known` holds are taken as having no repeated key (what a schema pass
    /// already proved, `JSONSchema.hasDistinctKeys`).
    public static func firstDuplicate(in document: JSONDocument, knownDistinct known: (Int) -> Bool = { _ in false })
        -> Int?
    {
        let nodes = document.nodes
        // The objects of two or more keys are a tenth of the nodes, in no pattern a branch
        // predictor learns (76,000 mispredicts per 20 MB when each node was one branch): each
        // block of nodes is first listed without a branch, then its objects are looked at.
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: Self.block) { candidates -> Int? in
            var start = 0
            while start < nodes.count {
                let end = min(nodes.count, start + Self.block)
                var found = 0
                for index in start..<end {
                    candidates[found] = index
                    let node = nodes[index]
                    found &+= (node.kind == .object ? 1 : 0) & (node.count >= 2 ? 1 : 0)
                }
                for k in 0..<found {
                    let index = candidates[k]
                    if !known(index), let key = duplicate(in: document, object: index) { return key }
                }
                start = end
            }
            return nil
        }
    }

    /// Nodes listed at a time by `firstDuplicate`.
    static let block = 128

    /// The second occurrence of a repeated key of the object at `object`, or nil.
    static func duplicate(in document: JSONDocument, object: Int) -> Int? {
        let nodes = document.nodes
        if nodes[object].count <= pairwiseLimit {
            // Pairwise over the tape, without allocating: most objects have a handful of keys.
            var k = 0
            for key in document.memberKeys(object) {
                var earlier = object + 1
                for _ in 0..<k {
                    if same(document, earlier, key) { return key }
                    earlier = Int(nodes[earlier + 1].next)
                }
                k += 1
            }
            return nil
        }
        var seen = Set<[UInt8]>()
        for key in document.memberKeys(object)
        where !seen.insert(document.withExactStringBytes(key) { Array($0) }).inserted {
            return key
        }
        return nil
    }

    // Measured: outlined (soc-validate --threads 1 --rejects /dev/null, 5 MB of gen_soc --realistic
    // --seed 1) it cost 1.5M more instructions per run (callgrind, run 202.7M with it).
    @inline(__always)
    static func same(_ document: JSONDocument, _ a: Int, _ b: Int) -> Bool {
        let nodes = document.nodes
        if nodes[a].flags & JSONNode.hasEscapes == 0 && nodes[b].flags & JSONNode.hasEscapes == 0 {
            let length = nodes[a].end - nodes[a].start
            guard length == nodes[b].end - nodes[b].start else { return false }
            let base = document.bytes.baseAddress!
            return memcmp(base + Int(nodes[a].start), base + Int(nodes[b].start), Int(length)) == 0
        }
        return document.withExactStringBytes(a) { x in document.withExactStringBytes(b) { y in x.elementsEqual(y) } }
    }

    /// The JSON path of the value at `target` (`$.a[2]["b c"]`), found by descending from the
    /// root through the child whose subtree holds it.
    public static func path(to target: Int, in document: JSONDocument) -> String {
        var path = "$"
        var node = document.root
        while node != target {
            switch document.kind(node) {
            case .array:
                for (k, child) in document.elements(node).enumerated()
                where child <= target && target < document.subtreeEnd(child) {
                    path += "[\(k)]"
                    node = child
                    break
                }
            case .object:
                for key in document.memberKeys(node) where key <= target && target < document.subtreeEnd(key + 1) {
                    path += JSONPath.component(document.string(key) ?? "")
                    // A key itself is named by the path of its value.
                    node = key == target ? target : key + 1
                    break
                }
            default:
                return path
            }
        }
        return path
    }
}
