/// An SPB persona bank (`--personas FILE`, JSONL): persona id → persona, for checking that the
/// personas inside chats are the bank's, field by field.
public final class PersonaBank {
    private var personas: [String: JSONValue] = [:]
    /// Each persona's text as the bank wrote it: a chat that embeds it byte for byte (the usual
    /// case, both written by the same generator) matches without a field-by-field comparison.
    private var texts: [String: [UInt8]] = [:]

    /// Number of personas in the bank.
    public var count: Int { personas.count }

    public init(personas: [JSONValue], texts: [[UInt8]] = []) {
        for (k, persona) in personas.enumerated() {
            guard let id = persona["id"]?.stringValue else { continue }
            self.personas[id] = persona
            if k < texts.count { self.texts[id] = texts[k] }
        }
    }

    /// Reads a JSONL bank; blank lines are skipped, any other line must be an object with an `id`.
    public convenience init(file path: String) throws(SchemaError) {
        let bytes = try SchemaFile.read(path)
        var list: [JSONValue] = []
        var texts: [[UInt8]] = []
        let parser = JSONParser(maxDepth: 64)
        var lineNumber = 0
        for line in bytes.split(separator: 10, omittingEmptySubsequences: false) {
            lineNumber += 1
            guard line.contains(where: { $0 != 32 && $0 != 9 && $0 != 13 }) else { continue }
            let value: JSONValue? = Array(line).withUnsafeBytes { raw in
                if case .success(let document) = parser.parse(raw) {
                    texts.append(Array(document.raw(document.root)))
                    return document.value()
                }
                return nil
            }
            guard let value, value["id"]?.stringValue != nil else {
                throw SchemaError("\(path):\(lineNumber): not a persona object with an id")
            }
            list.append(value)
        }
        self.init(personas: list, texts: texts)
    }

    /// The bank's persona with `id`.
    public func persona(_ id: String) -> JSONValue? { personas[id] }

    /// Compares the persona object at `index` with the bank; nil when equal, else the diagnosis.
    /// `path` is the persona's JSONPath (`$.experience.persona1`).
    func check(_ document: JSONDocument, _ index: Int, path: String) -> Diagnosis? {
        guard document.kind(index) == .object, let idIndex = document.member(index, "id"), let id = document.string(idIndex) else { return nil }
        guard let known = personas[id], let fields = known.objectValue else {
            return Diagnosis(code: .unknownPersona, path: path + ".id", message: "persona \(id) is not in the --personas bank")
        }
        if let text = texts[id], text.withUnsafeBytes({ document.raw(index).elementsEqualBytes($0) }) {
            return nil
        }
        for (name, value) in fields {
            guard let field = document.member(index, name) else {
                return Diagnosis(code: .personaMismatch, path: path + JSONPath.component(name), message: "missing; the bank's persona \(id) has \(value.serialized())")
            }
            if !SchemaEquality.equal(document, field, value) {
                return Diagnosis(code: .personaMismatch, path: path + JSONPath.component(name), message: "differs from the bank's persona \(id): \(value.serialized())")
            }
        }
        for key in document.memberKeys(index) {
            let name = document.string(key) ?? ""
            if known[name] == nil {
                return Diagnosis(code: .personaMismatch, path: path + JSONPath.component(name), message: "not a field of the bank's persona \(id)")
            }
        }
        return nil
    }
}
