/// A small JSON path for `--key`, `--text` and `--id`: member names separated by dots, array
/// indices or `[*]` in brackets, an optional leading `$` or `$.`.
/// Examples: `chat_id`, `experience.persona1.id`, `$.chat_parts[*].messages[*]`, `traits[0]`.
/// A member name with a dot or bracket is written `["a.b"]`.
public struct RecordPath: Sendable, Equatable, CustomStringConvertible {
    public enum Step: Sendable, Equatable {
        case member(String)
        case index(Int)
        case all
    }

    public let steps: [Step]
    public let description: String

    /// Parses `text`; throws a message for a malformed path.
    public init(_ text: String) throws(RecordPathError) {
        description = text
        var steps: [Step] = []
        var rest = Substring(text)
        if rest.hasPrefix("$") { rest = rest.dropFirst() }
        if rest.hasPrefix(".") { rest = rest.dropFirst() }
        var expectName = !rest.hasPrefix("[")
        while !rest.isEmpty || expectName {
            if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]") else {
                    throw RecordPathError(path: text, message: "unclosed '['")
                }
                let inner = rest[rest.index(after: rest.startIndex)..<close]
                if inner == "*" {
                    steps.append(.all)
                } else if let n = Int(inner), n >= 0 {
                    steps.append(.index(n))
                } else if inner.count >= 2, let q = inner.first, q == "\"" || q == "'", inner.last == q {
                    steps.append(.member(String(inner.dropFirst().dropLast())))
                } else {
                    throw RecordPathError(path: text, message: "'[\(inner)]' is not an index, [*] or a quoted name")
                }
                rest = rest[rest.index(after: close)...]
                if rest.hasPrefix(".") {
                    rest = rest.dropFirst()
                    expectName = !rest.hasPrefix("[")
                    if rest.isEmpty { throw RecordPathError(path: text, message: "ends with '.'") }
                } else {
                    expectName = false
                }
            } else {
                let end = rest.firstIndex { $0 == "." || $0 == "[" } ?? rest.endIndex
                let name = rest[..<end]
                guard !name.isEmpty else { throw RecordPathError(path: text, message: "empty member name") }
                steps.append(.member(String(name)))
                rest = rest[end...]
                expectName = false
                if rest.hasPrefix(".") {
                    rest = rest.dropFirst()
                    expectName = true
                    if rest.isEmpty { throw RecordPathError(path: text, message: "ends with '.'") }
                }
            }
        }
        guard !steps.isEmpty else { throw RecordPathError(path: text, message: "empty path") }
        self.steps = steps
    }

    /// Calls `body` with the tape index of every value the path reaches in `document`, in
    /// document order. Missing members and out-of-range indices reach nothing.
    ///
    /// Step by step rather than recursively, so a path of any length cannot overflow the stack;
    /// expanding each step's matches in order keeps document order.
    public func forEachMatch(in document: JSONDocument, _ body: (Int) -> Void) {
        var current = [document.root]
        var next: [Int] = []
        for step in steps {
            next.removeAll(keepingCapacity: true)
            for node in current {
                switch step {
                case .member(let name):
                    if let child = document.member(node, name) { next.append(child) }
                case .index(let n):
                    for (k, child) in document.elements(node).enumerated() where k == n {
                        next.append(child)
                        break
                    }
                case .all:
                    next.append(contentsOf: document.elements(node))
                }
            }
            swap(&current, &next)
            if current.isEmpty { return }
        }
        for node in current { body(node) }
    }

    /// The first value the path reaches, if any.
    public func first(in document: JSONDocument) -> Int? {
        var found: Int?
        forEachMatch(in: document) { if found == nil { found = $0 } }
        return found
    }
}

/// A malformed `RecordPath`.
public struct RecordPathError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var message: String
    public var description: String { "bad path '\(path)': \(message)" }
}
