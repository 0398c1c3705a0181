/// Finds reference cycles that never descend into the instance (`{"$ref": "#"}`,
/// `{"allOf": [{"$ref": "#"}]}`): evaluating one would apply the same subschema to the same
/// value forever, so such a schema is refused when it is compiled (a usage error), rather than
/// every record being rejected. Recursion through `properties`, `items` and the other keywords
/// that move to a child value ends with the instance and stays allowed.
enum SchemaCycles {
    /// The first cycle of in-place applicators among `nodes`, as the locations along it, or nil.
    /// `dynamicAnchors` (per resource: name → node) are the targets a `$dynamicRef` may take.
    static func find(_ nodes: [SchemaNode], dynamicAnchors: [[String: Int]]) -> [String]? {
        let edges = nodes.map { inPlaceChildren($0, dynamicAnchors) }
        // Iterative depth-first search: 0 unvisited, 1 on the current path, 2 done.
        var state = [UInt8](repeating: 0, count: nodes.count)
        for root in 0..<nodes.count where state[root] == 0 {
            var path: [(node: Int, next: Int)] = [(root, 0)]
            state[root] = 1
            while let top = path.last {
                let children = edges[top.node]
                if top.next == children.count {
                    state[top.node] = 2
                    path.removeLast()
                    continue
                }
                path[path.count - 1].next += 1
                let child = children[top.next]
                switch state[child] {
                case 0:
                    state[child] = 1
                    path.append((child, 0))
                case 1:
                    let start = path.firstIndex { $0.node == child }!
                    return path[start...].map { nodes[$0.node].location } + [nodes[child].location]
                default:
                    break
                }
            }
        }
        return nil
    }

    /// The subschemas a node applies to the very value it is applied to.
    private static func inPlaceChildren(_ node: SchemaNode, _ dynamicAnchors: [[String: Int]]) -> [Int] {
        var children: [Int] = []
        for keyword in node.keywords {
            switch keyword {
            case .ref(let target): children.append(target)
            case .dynamicRef(let target, let anchor):
                children.append(target)
                if let anchor {
                    for table in dynamicAnchors { if let other = table[anchor] { children.append(other) } }
                }
            case .recursiveRef(let target):
                children.append(target)
                for table in dynamicAnchors { if let other = table[""] { children.append(other) } }
            case .allOf(let list), .anyOf(let list), .oneOf(let list): children.append(contentsOf: list)
            case .not(let schema): children.append(schema)
            case .conditional(let condition, let then, let otherwise):
                children.append(condition)
                if let then { children.append(then) }
                if let otherwise { children.append(otherwise) }
            case .dependentSchemas(let rules): children.append(contentsOf: rules.map(\.1))
            default: break
            }
        }
        return children
    }
}
