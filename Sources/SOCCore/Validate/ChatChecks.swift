#if canImport(Glibc)
    import Glibc
#endif

/// The SOC checks a schema cannot say: senders and turn-taking, persona ids, `chat_id`, turn count, empty
/// messages, tags and `<end/>` placement, and (with a bank) the personas themselves.
///
/// They read the tape defensively: a value of the wrong type is the schema's to report, so a
/// check that cannot apply is skipped rather than reported twice.
public struct ChatChecks {
    /// Codes not to check (`--skip`).
    public var skip: Set<ReasonCode>
    /// The `--personas` bank, if any.
    public var personas: PersonaBank?
    /// Where escaped messages are unescaped, reused from message to message (an array each
    /// was a malloc and a free). A copy of the checks shares it: one thread's checks at a time.
    private let scratch = UnescapedText()

    public init(skip: Set<ReasonCode> = [], personas: PersonaBank? = nil) {
        self.skip = skip
        self.personas = personas
    }

    /// Appends every problem of the chat record in `document` (laid out as `layout`) to
    /// `problems`, in record order.
    public func check(_ document: JSONDocument, layout: ChatLayout = .soc, into problems: inout [Diagnosis]) {
        let root = document.root
        guard document.kind(root) == .object else { return }
        guard layout == .soc else { return checkFlat(document, layout, into: &problems) }
        let experience = document.member(root, "experience")
        let persona1 = experience.flatMap { document.member($0, "persona1") }
        let persona2 = experience.flatMap { document.member($0, "persona2") }
        let id: StaticString = "id"
        let id1 = persona1.flatMap { document.member($0, id) }.flatMap { document.kind($0) == .string ? $0 : nil }
        let id2 = persona2.flatMap { document.member($0, id) }.flatMap { document.kind($0) == .string ? $0 : nil }

        if let id1, let id2, !skip.contains(.samePersona), SchemaEquality.stringsEqual(document, id1, id2) {
            problems.append(
                Diagnosis(
                    code: .samePersona, path: "$.experience.persona2.id",
                    message: "persona2 has persona1's id \(document.string(id2) ?? "")"))
        }
        let chatIDKey: StaticString = "chat_id"
        if let chatID = document.member(root, chatIDKey), document.kind(chatID) == .string, let id1, let id2,
            !skip.contains(.chatIDMismatch)
        {
            let matches = document.withStringBytes(chatID) { chat in
                document.withStringBytes(id1) { first in
                    document.withStringBytes(id2) { second in Self.isChatID(chat, first, second) }
                }
            }
            if !matches {
                let expected = "\(document.string(id1) ?? "")_\(document.string(id2) ?? "")_N"
                problems.append(
                    Diagnosis(
                        code: .chatIDMismatch, path: "$.chat_id",
                        message:
                            "\(document.string(chatID) ?? "") is not <persona1.id>_<persona2.id>_<unix seconds> (\(expected))"
                    ))
            }
        }
        if let personas {
            for (index, name) in [(persona1, "persona1"), (persona2, "persona2")] {
                guard let index, let problem = personas.check(document, index, path: "$.experience.\(name)"),
                    !skip.contains(problem.code)
                else { continue }
                problems.append(problem)
            }
        }

        guard let chat = ChatView.lenient(document) else { return }
        let partCount = chat.turnCount
        if partCount < 2, !skip.contains(.tooFewTurns) {
            problems.append(
                Diagnosis(
                    code: .tooFewTurns, path: "$.chat_parts",
                    message: "\(partCount) part\(partCount == 1 ? "" : "s"); a chat needs at least 2"))
        }
        let checkSender = !skip.contains(.unknownSender) && id1 != nil && id2 != nil
        let checkEmpty = !skip.contains(.emptyMessage)
        let checkTurns = !skip.contains(.sameSenderTwice)
        var previousSender: Int?
        // Where the next `<` of the line lies at or after the last message searched (-1: not
        // searched yet; the line's length: none). One memchr serves every plain message up to
        // that `<`, where a memchr a message cost ~32 instructions and ~1 mispredicted branch
        // (soc-validate --threads 1 --rejects /dev/null real20.jsonl, callgrind; see the commit).
        var nextTag = -1
        chat.forEachPart { part in
            let k = part.ordinal
            // The speakers take turns: two parts in a row by one sender are one turn split in two.
            let sender = part.sender.flatMap { document.kind($0) == .string ? $0 : nil }
            if checkTurns, let sender, let previousSender, Self.sameString(document, sender, previousSender) {
                problems.append(
                    Diagnosis(
                        code: .sameSenderTwice, path: "$.chat_parts[\(k)].sender",
                        message:
                            "parts \(k) and \(k + 1) are both by \(document.string(sender) ?? ""); the speakers take turns"
                    ))
            }
            previousSender = sender
            if checkSender, let id1, let id2, let sender,
                !Self.sameString(document, sender, id1), !Self.sameString(document, sender, id2)
            {
                problems.append(
                    Diagnosis(
                        code: .unknownSender, path: "$.chat_parts[\(k)].sender",
                        message: "\(document.string(sender) ?? "") is neither persona1's nor persona2's id"))
            }
            guard let messages = part.messages else { return }
            let messageCount = document.count(messages)
            for (j, message) in document.elements(messages).enumerated() where document.kind(message) == .string {
                if document.hasEscapes(message) {
                    // Half of the records are written with `\u` escapes; most of their messages
                    // have nothing `inspect` would look at, which the raw bytes show.
                    if Self.needsNoInspection(document.stringContent(message)) { continue }
                    JSONString.unescape(document.stringContent(message), into: &scratch.bytes) { _, _ in 0xFFFD }
                    scratch.bytes.withUnsafeBytes {
                        inspect(
                            $0, path: "$.chat_parts[\(k)].messages[\(j)]",
                            isLast: k == partCount - 1 && j == messageCount - 1, turn: k, of: partCount,
                            checkEmpty: checkEmpty, into: &problems)
                    }
                } else {
                    if Self.holdsNoTag(document, message, before: &nextTag) { continue }
                    inspect(
                        document.stringContent(message), path: "$.chat_parts[\(k)].messages[\(j)]",
                        isLast: k == partCount - 1 && j == messageCount - 1, turn: k, of: partCount,
                        checkEmpty: checkEmpty, into: &problems)
                }
            }
        }
    }

    /// White space and tags of one message text (unescaped UTF-8) at `path` (built only when a
    /// problem is found), in turn `k` of `partCount`; `isLast` when it is the chat's last text.
    func inspect(
        _ text: UnsafeRawBufferPointer, path: @autoclosure () -> String, isLast: Bool, turn k: Int, of partCount: Int,
        checkEmpty: Bool, into problems: inout [Diagnosis], noun: String = "part"
    ) {
        // Most messages start with a visible ASCII character and hold no `<`: two byte tests and a memchr.
        if checkEmpty, text.isEmpty || text[0] >= 0x80 || Self.isSpace(text[0]), BlankText.isBlank(text) {
            problems.append(
                Diagnosis(
                    code: .emptyMessage, path: path(),
                    message: text.isEmpty ? "empty message" : "message holds only white space or invisible characters"))
            return
        }
        guard let base = text.baseAddress, memchr(base, Int32(UInt8(ascii: "<")), text.count) != nil else { return }
        var hasEnd = false
        TagScanner.scan(text) { tag in
            if let problem = tag.problem {
                if !skip.contains(problem.code) {
                    problems.append(
                        Diagnosis(
                            code: problem.code, path: path(), message: problem.message))
                }
            } else if tag.name == .end {
                hasEnd = true
            }
        }
        if hasEnd, !isLast, !skip.contains(.earlyEnd) {
            problems.append(
                Diagnosis(
                    code: .earlyEnd, path: path(),
                    message: "<end/> in \(noun) \(k + 1) of \(partCount); it belongs at the end of the last message"))
        }
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || (byte >= 9 && byte <= 13) }

    /// `chat` is `first` `_` `second` `_` and one or more digits.
    static func isChatID(
        _ chat: UnsafeRawBufferPointer, _ first: UnsafeRawBufferPointer, _ second: UnsafeRawBufferPointer
    ) -> Bool {
        let prefix = first.count + second.count + 2
        guard chat.count > prefix, chat[first.count] == 95, chat[prefix - 1] == 95 else { return false }
        guard first.elementsEqualBytes(UnsafeRawBufferPointer(rebasing: chat[0..<first.count])),
            second.elementsEqualBytes(UnsafeRawBufferPointer(rebasing: chat[(first.count + 1)..<(prefix - 1)]))
        else { return false }
        for k in prefix..<chat.count where chat[k] < 48 || chat[k] > 57 { return false }
        return true
    }
}

/// A reused buffer of unescaped text (see `ChatChecks.scratch`).
final class UnescapedText {
    var bytes: [UInt8] = []
}
