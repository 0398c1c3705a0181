/// The SOC checks a schema cannot say: senders, persona ids, `chat_id`, turn count, empty
/// messages, tags and `<end/>` placement, and (with a bank) the personas themselves.
///
/// They read the tape defensively: a value of the wrong type is the schema's to report, so a
/// check that cannot apply is skipped rather than reported twice.
public struct ChatChecks {
    /// Codes not to check (`--skip`).
    public var skip: Set<ReasonCode>
    /// The `--personas` bank, if any.
    public var personas: PersonaBank?

    public init(skip: Set<ReasonCode> = [], personas: PersonaBank? = nil) {
        self.skip = skip
        self.personas = personas
    }

    /// Appends every problem of the chat record in `document` to `problems`, in record order.
    public func check(_ document: JSONDocument, into problems: inout [Diagnosis]) {
        let root = document.root
        guard document.kind(root) == .object else { return }
        let experience = document.member(root, "experience")
        let persona1 = experience.flatMap { document.member($0, "persona1") }
        let persona2 = experience.flatMap { document.member($0, "persona2") }
        let id1 = persona1.flatMap { document.member($0, "id") }.flatMap { document.kind($0) == .string ? $0 : nil }
        let id2 = persona2.flatMap { document.member($0, "id") }.flatMap { document.kind($0) == .string ? $0 : nil }

        if let id1, let id2, !skip.contains(.samePersona), SchemaEquality.equal(document, id1, id2) {
            problems.append(Diagnosis(code: .samePersona, path: "$.experience.persona2.id", message: "persona2 has persona1's id \(document.string(id2) ?? "")"))
        }
        if let chatID = document.member(root, "chat_id"), document.kind(chatID) == .string, let id1, let id2, !skip.contains(.chatIDMismatch) {
            let expected = Array((document.string(id1) ?? "").utf8) + [95] + Array((document.string(id2) ?? "").utf8) + [95]
            let matches = document.withStringBytes(chatID) { bytes in
                bytes.count > expected.count && bytes.prefix(expected.count).elementsEqual(expected)
                    && bytes.dropFirst(expected.count).allSatisfy { $0 >= 48 && $0 <= 57 }
            }
            if !matches {
                problems.append(Diagnosis(code: .chatIDMismatch, path: "$.chat_id", message: "\(document.string(chatID) ?? "") is not <persona1.id>_<persona2.id>_<unix seconds> (\(String(decoding: expected, as: UTF8.self))N)"))
            }
        }
        if let personas {
            for (index, name) in [(persona1, "persona1"), (persona2, "persona2")] {
                guard let index, let problem = personas.check(document, index, path: "$.experience.\(name)"), !skip.contains(problem.code) else { continue }
                problems.append(problem)
            }
        }

        guard let parts = document.member(root, "chat_parts"), document.kind(parts) == .array else { return }
        let partCount = document.count(parts)
        if partCount < 2, !skip.contains(.tooFewTurns) {
            problems.append(Diagnosis(code: .tooFewTurns, path: "$.chat_parts", message: "\(partCount) part\(partCount == 1 ? "" : "s"); a chat needs at least 2"))
        }
        let checkSender = !skip.contains(.unknownSender) && id1 != nil && id2 != nil
        let checkEmpty = !skip.contains(.emptyMessage)
        for (k, part) in document.elements(parts).enumerated() {
            if checkSender, let id1, let id2, let sender = document.member(part, "sender"), document.kind(sender) == .string,
               !SchemaEquality.equal(document, sender, id1), !SchemaEquality.equal(document, sender, id2) {
                problems.append(Diagnosis(code: .unknownSender, path: "$.chat_parts[\(k)].sender", message: "\(document.string(sender) ?? "") is neither persona1's nor persona2's id"))
            }
            guard let messages = document.member(part, "messages"), document.kind(messages) == .array else { continue }
            let messageCount = document.count(messages)
            for (j, message) in document.elements(messages).enumerated() where document.kind(message) == .string {
                let path = { "$.chat_parts[\(k)].messages[\(j)]" }
                document.withStringBytes(message) { text in
                    if checkEmpty, text.allSatisfy({ $0 == 32 || ($0 >= 9 && $0 <= 13) }) {
                        problems.append(Diagnosis(code: .emptyMessage, path: path(), message: text.isEmpty ? "empty message" : "message holds only white space"))
                        return
                    }
                    let tags = ChatTagScanner.scan(text)
                    for problem in tags.problems where !skip.contains(problem.code) {
                        problems.append(Diagnosis(code: problem.code, path: path(), message: problem.message))
                    }
                    if tags.hasEnd, k != partCount - 1 || j != messageCount - 1, !skip.contains(.earlyEnd) {
                        problems.append(Diagnosis(code: .earlyEnd, path: path(), message: "<end/> in part \(k + 1) of \(partCount); it belongs at the end of the last message"))
                    }
                }
            }
        }
    }
}
