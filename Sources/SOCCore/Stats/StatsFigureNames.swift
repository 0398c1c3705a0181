/// The figure names `--require` accepts: the paths of soc-stats' JSON output that can hold a number.
///
/// They are read off the output of an empty run (every key of `schema_version` 1 is always
/// present, so the writer is the one list), plus the parts that depend on the data: array indices,
/// the items of categories (`models.values.0.share`) and histogram bins, and the keys and JSON
/// types under `other.root_types` and `other.types`. A name outside this grammar cannot exist in
/// any input, so gating on it is a usage error; a name inside it that this input leaves missing
/// or null stays a failed gate.
public enum StatsFigureNames {
    /// The shape of one part of the JSON output.
    indirect enum Shape: Sendable {
        /// A number, a boolean or null: a figure.
        case figure
        /// A string: named, but never a number.
        case text
        case object([(key: String, shape: Shape)])
        /// Indices `0..<count` (any index when count is nil), each holding `element`.
        case array(element: Shape, count: Int?)
        /// Keys from the data (`keys` nil) or from a fixed list, each holding `element`.
        case map(placeholder: String, keys: [String]?, element: Shape)
    }

    /// The shape of the JSON output.
    static let shape: Shape = shape(of: StatsJSONWriter.json(StatsDocument()), key: "")

    /// nil when `path` can name a number in some input, else why it cannot.
    public static func problem(_ path: [String]) -> String? {
        var shape = shape
        for (depth, key) in path.enumerated() {
            let here = path[..<depth].joined(separator: ".")
            let parent = here.isEmpty ? "the output" : "'\(here)'"
            switch shape {
            case .figure, .text:
                return "\(parent) is a single value; '\(path[depth...].joined(separator: "."))' goes below it"
            case .object(let members):
                guard let member = members.first(where: { $0.key == key }) else {
                    return "\(parent) has no key '\(key)'"
                }
                shape = member.shape
            case .array(let element, let count):
                guard let index = Int(key), index >= 0, count.map({ index < $0 }) ?? true else {
                    return "\(parent) is a list: '\(key)' is not an index\(count.map { " below \($0)" } ?? "")"
                }
                shape = element
            case .map(let placeholder, let keys, let element):
                if let keys, !keys.contains(key) {
                    return "\(parent) has keys \(placeholder) (\(keys.joined(separator: ", "))), not '\(key)'"
                }
                shape = element
            }
        }
        switch shape {
        case .figure: return nil
        case .text: return "'\(path.joined(separator: "."))' is text, not a number"
        case .object, .array, .map: return "'\(path.joined(separator: "."))' is a group of figures, not one number"
        }
    }

    /// Every figure name, one per line; data-dependent parts are placeholders in angle brackets
    /// (`models.values.<i>.share`, `other.types.<key>.<type>`).
    public static var patterns: [String] {
        var names: [String] = []
        func walk(_ shape: Shape, _ prefix: String) {
            let dot = prefix.isEmpty ? "" : prefix + "."
            switch shape {
            case .figure: names.append(prefix)
            case .text: break
            case .object(let members): for member in members { walk(member.shape, dot + member.key) }
            case .array(let element, let count): walk(element, dot + (count.map { "<0..\($0 - 1)>" } ?? "<i>"))
            case .map(let placeholder, _, let element): walk(element, dot + placeholder)
            }
        }
        walk(shape, "")
        return names
    }

    /// The shape of `value`, a part of an empty run's output under `key`; the parts an empty run
    /// leaves empty are described by their key.
    static func shape(of value: JSONValue, key: String) -> Shape {
        let types = Shape.map(placeholder: "<type>", keys: GenericStats.typeNames, element: .figure)
        switch (key, value) {
        case ("values", .array):  // a category's values, most frequent first
            let item: [(key: String, shape: Shape)] = [
                ("value", .text), ("count", .figure), ("share", .figure), ("error", .figure),
            ]
            return .array(element: .object(item), count: nil)
        case ("bins", .array): return .array(element: .array(element: .figure, count: 3), count: nil)
        case ("inputs", .array): return .array(element: .text, count: nil)
        case ("root_types", .object): return types
        case ("types", .object): return .map(placeholder: "<key>", keys: nil, element: types)
        case (_, .object(let members)):
            return .object(members.map { (key: $0.0, shape: shape(of: $0.1, key: $0.0)) })
        case (_, .array): return .array(element: .figure, count: nil)
        case (_, .string): return .text
        default: return .figure
        }
    }
}
