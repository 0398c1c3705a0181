/// A CI gate on one figure: `NAME OP NUMBER`, e.g. `turns.p50>=8`, `tags.end.chats_share >= 0.5`.
///
/// NAME is a dotted path into the JSON output (`--format json`): object keys (any characters but
/// blanks, `.` and `<>=!`), and array indices as numbers (`models.values.0.share`). OP is one of `>=`, `<=`, `==`, `!=`, `>`, `<`.
/// A figure that is missing or null (a share of nothing) fails the gate.
public struct StatsRequirement: Equatable, Sendable, CustomStringConvertible {
    public enum Comparison: String, Sendable, CaseIterable {
        case greaterOrEqual = ">="
        case lessOrEqual = "<="
        case equal = "=="
        case notEqual = "!="
        case greater = ">"
        case less = "<"

        func holds(_ a: Double, _ b: Double) -> Bool {
            switch self {
            case .greaterOrEqual: return a >= b
            case .lessOrEqual: return a <= b
            case .equal: return a == b
            case .notEqual: return a != b
            case .greater: return a > b
            case .less: return a < b
            }
        }
    }

    public var path: [String]
    public var comparison: Comparison
    public var threshold: Double
    /// The expression as the user wrote it.
    public var text: String

    public var description: String { text }

    /// Parses `NAME OP NUMBER`; the error says what is wrong.
    public init(parsing text: String) throws(StatsFormatError) {
        self.text = text
        // Two-character operators first, so that `>=` is not read as `>`.
        let operators: [Comparison] = [.greaterOrEqual, .lessOrEqual, .equal, .notEqual, .greater, .less]
        for op in operators {
            guard let range = text.firstRange(of: op.rawValue) else { continue }
            let name = text[..<range.lowerBound].trimmingCharacters(in: " ")
            let value = text[range.upperBound...].trimmingCharacters(in: " ")
            // Keys of other records may hold any character but blanks and the operators' own.
            guard !name.isEmpty, !name.contains(where: { $0.isWhitespace || "<>=!".contains($0) }),
                !name.hasPrefix("."), !name.hasSuffix("."), !name.contains("..")
            else {
                throw StatsFormatError("--require '\(text)': '\(name)' is not a figure name such as turns.p50")
            }
            guard let number = Double(value), number.isFinite else {
                throw StatsFormatError("--require '\(text)': '\(value)' is not a number")
            }
            path = name.split(separator: ".").map(String.init)
            comparison = op
            threshold = number
            return
        }
        throw StatsFormatError("--require '\(text)': expected NAME OP NUMBER with OP one of >= <= == != > <")
    }

    /// Parses `NAME OP NUMBER` as the command line gives it: NAME must be a figure some input
    /// can have (`StatsFigureNames`); a name that cannot exist is a mistake in the gate, not a
    /// fact about the data.
    public init(checking text: String) throws(StatsFormatError) {
        try self.init(parsing: text)
        if let problem = StatsFigureNames.problem(path) {
            throw StatsFormatError("--require '\(text)': \(problem) (soc-stats --list-figures lists the names)")
        }
    }

    /// The figure named by the path in `json`, or nil when it is missing or not a number.
    public func actual(in json: JSONValue) -> Double? {
        var current = json
        for key in path {
            if let index = Int(key), let items = current.arrayValue {
                guard index >= 0, index < items.count else { return nil }
                current = items[index]
            } else if let next = current[key] {
                current = next
            } else {
                return nil
            }
        }
        if case .bool(let b) = current { return b ? 1 : 0 }
        return current.doubleValue
    }

    /// nil when the gate passes, else the message naming the actual value.
    public func failure(in json: JSONValue) -> String? {
        guard let value = actual(in: json) else {
            return "\(text): \(path.joined(separator: ".")) is not available"
        }
        if comparison.holds(value, threshold) { return nil }
        return "\(text): actual \(JSONNumber(value).text)"
    }
}

extension Substring {
    func trimmingCharacters(in set: Character) -> String {
        var s = self
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
