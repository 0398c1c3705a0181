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

    /// Reads a JSONL bank through the shared reader (so `.gz`, `.zst` and `-` work as for any
    /// input); blank lines are skipped, any other line must be an object with an `id`.
    public convenience init(file path: String) throws(SchemaError) {
        var list: [JSONValue] = []
        var texts: [[UInt8]] = []
        var seen: [String: (index: Int, line: Int)] = [:]
        let parser = JSONParser(maxDepth: 64)
        let input = InputFile(path)
        do {
            let source = try input.open()
            defer { source.close() }
            let reader = LineReader(source: source, maxLineBytes: 1 << 24)
            while let line = try reader.next() {
                if line.overlongLength != nil {
                    throw SchemaError("\(input.displayName):\(line.number): line too long for a persona")
                }
                guard line.bytes.contains(where: { $0 != 32 && $0 != 9 }) else { continue }
                guard case .success(let document) = parser.parse(line.bytes),
                    document.member(document.root, "id").map({ document.kind($0) == .string }) == true
                else {
                    throw SchemaError("\(input.displayName):\(line.number): not a persona object with an id")
                }
                let text = Array(document.raw(document.root))
                let persona = document.value()
                // One id, two different personas: which one would chats be checked against?
                let id = persona["id"]?.stringValue ?? ""
                if let (k, firstLine) = seen[id] {
                    guard texts[k] == text || list[k] == persona else {
                        throw SchemaError(
                            "--personas \(input.displayName):\(line.number): persona \(id) differs from the one on line \(firstLine)"
                        )
                    }
                    continue
                }
                seen[id] = (list.count, line.number)
                texts.append(text)
                list.append(persona)
            }
        } catch let error as InputError {
            throw SchemaError("--personas \(error)")
        } catch let error as SchemaError {
            throw error
        } catch {
            throw SchemaError("--personas \(path): \(error)")
        }
        self.init(personas: list, texts: texts)
    }

    /// The bank's persona with `id`.
    public func persona(_ id: String) -> JSONValue? { personas[id] }

    /// Compares the persona object at `index` with the bank; nil when equal, else the diagnosis.
    /// `path` is the persona's JSONPath (`$.experience.persona1`).
    func check(_ document: JSONDocument, _ index: Int, path: String) -> Diagnosis? {
        guard document.kind(index) == .object, let idIndex = document.member(index, "id"),
            let id = document.string(idIndex)
        else { return nil }
        guard let known = personas[id], let fields = known.objectValue else {
            return Diagnosis(
                code: .unknownPersona, path: path + ".id", message: "persona \(id) is not in the --personas bank")
        }
        if let text = texts[id], text.withUnsafeBytes({ document.raw(index).elementsEqualBytes($0) }) {
            return nil
        }
        for (name, value) in fields {
            guard let field = document.member(index, name) else {
                return Diagnosis(
                    code: .personaMismatch, path: path + JSONPath.component(name),
                    message: "missing; the bank's persona \(id) has \(value.serialized())")
            }
            if !SchemaEquality.equal(document, field, value) {
                return Diagnosis(
                    code: .personaMismatch, path: path + JSONPath.component(name),
                    message: "differs from the bank's persona \(id): \(value.serialized())")
            }
        }
        for key in document.memberKeys(index) {
            let name = document.string(key) ?? ""
            if known[name] == nil {
                return Diagnosis(
                    code: .personaMismatch, path: path + JSONPath.component(name),
                    message: "not a field of the bank's persona \(id)")
            }
        }
        return nil
    }
}
