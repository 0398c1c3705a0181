/// Figures over records that are neither chats nor personas: top-level keys and their types.
public struct GenericStats: Equatable, Sendable {
    /// The JSON types counted per key, in this order.
    public static let typeNames = ["null", "boolean", "number", "string", "array", "object"]
    /// Most keys whose types are tracked (a bound on memory for records with arbitrary keys).
    public static let typedKeyLimit = 1000

    public var records = 0
    /// Records that are not objects, by type.
    public var rootTypes = [Int](repeating: 0, count: 6)
    public var keys = CategoryCounter(capacity: 1000)
    /// For each tracked key, how many of its values had each type.
    public var types: [String: [Int]] = [:]

    public init() {}

    static func typeIndex(_ kind: JSONKind) -> Int {
        switch kind {
        case .null: return 0
        case .true, .false: return 1
        case .number: return 2
        case .string: return 3
        case .array: return 4
        case .object: return 5
        }
    }

    /// Counts one record.
    public mutating func add(_ document: JSONDocument) {
        records += 1
        let root = document.root
        guard document.kind(root) == .object else {
            rootTypes[Self.typeIndex(document.kind(root))] += 1
            return
        }
        // A key given twice is counted once, with the type of its last value (as Python reads it).
        var members: [(name: String, value: Int)] = []
        var position: [[UInt8]: Int] = [:]
        for key in document.memberKeys(root) {
            guard let name = document.string(key) else { continue }
            let exact = document.withExactStringBytes(key) { Array($0) }
            if let k = position[exact] {
                members[k].value = key + 1
            } else {
                position[exact] = members.count
                members.append((name, key + 1))
            }
        }
        for (name, value) in members {
            keys.add(name)
            let type = Self.typeIndex(document.kind(value))
            if types[name] != nil {
                types[name]![type] += 1
            } else if types.count < Self.typedKeyLimit {
                var counts = [Int](repeating: 0, count: 6)
                counts[type] = 1
                types[name] = counts
            }
        }
    }

    /// Adds another shard's figures.
    public mutating func merge(_ other: GenericStats) {
        records += other.records
        for k in 0..<6 { rootTypes[k] += other.rootTypes[k] }
        keys.merge(other.keys)
        for (name, counts) in other.types {
            if var mine = types[name] {
                for k in 0..<6 { mine[k] += counts[k] }
                types[name] = mine
            } else if types.count < Self.typedKeyLimit {
                types[name] = counts
            }
        }
    }
}
