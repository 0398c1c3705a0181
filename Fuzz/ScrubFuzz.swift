import SOCCore

/// The default rules are compiled once per process (as the tool does).
nonisolated(unsafe) let scrubStage: ScrubStage = {
    do { return ScrubStage(engine: try ScrubEngine(RuleSet.defaults())) } catch {
        fatalError("default rules: \(error)")
    }
}()

/// The scrub engine on any messages and persona names: a chat (or a persona record) built from
/// the fuzz bytes is scrubbed; no crash, and an edited record is valid JSON whose fields other
/// than `chat_parts` (persona `name`) are byte for byte what they were.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScrub(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let control = input.byte()
    let asciiOnly = control & 1 == 1
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
    func quoted(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        JSONString.appendQuoted(text(bytes), asciiOnly: asciiOnly, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
    let name1 = input.field()
    let user1 = input.field()
    let name2 = input.field()
    let user2 = input.field()
    var record: String
    if control & 2 == 2 {
        // An SPB persona: its own name and username.
        record =
            "{\"name\": \(quoted(name1)), \"username\": \(control & 4 == 4 ? "null" : quoted(user1)), \"id\": \"p\"}"
    } else {
        var parts: [String] = []
        while input.position < input.bytes.count && parts.count < 8 {
            let sender = input.byte() & 1 == 0 ? "a" : "b"
            var messages: [String] = []
            for _ in 0..<Int(input.byte() % 4) { messages.append(quoted(input.field(separator: 1))) }
            parts.append("{\"sender\": \"\(sender)\", \"messages\": [\(messages.joined(separator: ", "))]}")
        }
        let persona1 = "{\"id\": \"a\", \"name\": \(quoted(name1)), \"username\": \(quoted(user1))}"
        let persona2 =
            "{\"id\": \"b\", \"name\": \(quoted(name2)), \"username\": \(control & 4 == 4 ? "null" : quoted(user2))}"
        record =
            "{\"chat_id\": \"a_b_1\", \"experience\": {\"persona1\": \(persona1), \"persona2\": \(persona2)}, \"chat_parts\": [\(parts.joined(separator: ", "))], \"tail\": 1.50}"
    }
    let line = Array(record.utf8)
    let parser = JSONParser(maxDepth: 64)
    line.withUnsafeBytes { raw in
        guard case .success(let document) = parser.parse(raw) else {
            fuzzCheck(false, "built record does not parse: \(record)")
            return
        }
        let untouched = document.memberKeys(document.root).filter {
            document.string($0) != "chat_parts" && document.string($0) != "name"
        }
        .map { (document.string($0)!, Array(document.raw($0 + 1))) }
        let verdict = scrubStage.process(document, at: RecordLocation(file: "fuzz", line: 1))
        guard case .edit(let edits) = verdict else { return }
        let output = JSONEdit.apply(edits, to: raw)
        let again = JSONParser(maxDepth: 64)
        output.withUnsafeBytes { newRaw in
            guard case .success(let after) = again.parse(newRaw) else {
                fuzzCheck(false, "scrubbed record does not parse: \(String(decoding: output, as: UTF8.self))")
                return
            }
            for (key, bytes) in untouched {
                guard let value = after.member(after.root, key) else {
                    fuzzCheck(false, "\(key) lost")
                    return
                }
                fuzzCheck(Array(after.raw(value)) == bytes, "\(key) changed")
            }
            if let parts = after.member(after.root, "chat_parts") {
                for part in after.elements(parts) {
                    guard let messages = after.member(part, "messages") else {
                        fuzzCheck(false, "part without messages")
                        return
                    }
                    for message in after.elements(messages) {
                        fuzzCheck(after.kind(message) == .string, "a message is no longer a string")
                    }
                }
            }
        }
    }
    return 0
}
