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
        chat.forEachPart { part in
            let k = part.ordinal
            // The speakers take turns: two parts in a row by one sender are one turn split in two.
            let sender = part.sender.flatMap { document.kind($0) == .string ? $0 : nil }
            if checkTurns, let sender, let previousSender, SchemaEquality.stringsEqual(document, sender, previousSender)
            {
                problems.append(
                    Diagnosis(
                        code: .sameSenderTwice, path: "$.chat_parts[\(k)].sender",
                        message:
                            "parts \(k) and \(k + 1) are both by \(document.string(sender) ?? ""); the speakers take turns"
                    ))
            }
            previousSender = sender
            if checkSender, let id1, let id2, let sender,
                !SchemaEquality.stringsEqual(document, sender, id1), !SchemaEquality.stringsEqual(document, sender, id2)
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
                    let text = JSONString.unescape(document.stringContent(message))
                    text.withUnsafeBytes {
                        inspect(
                            $0, path: "$.chat_parts[\(k)].messages[\(j)]",
                            isLast: k == partCount - 1 && j == messageCount - 1, turn: k, of: partCount,
                            checkEmpty: checkEmpty, into: &problems)
                    }
                } else {
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

    /// True when `inspect` would find nothing in the unescaped text of `raw` (an escaped
    /// string's bytes) whatever the escapes stand for, so it need not be unescaped: the text
    /// starts with the same visible ASCII character (so it is neither empty nor blank) and has
    /// no `<`, neither written nor escaped (`\u003c`; any `\u003` is taken as one).
    static func needsNoInspection(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard let base = raw.baseAddress, raw.count > 0 else { return false }
        let first = raw[0]
        guard first != UInt8(ascii: "\\"), first < 0x80, !isSpace(first) else { return false }
        let n = raw.count
        if memchr(base, Int32(UInt8(ascii: "<")), n) != nil { return false }
        var i = 0
        while i < n, let hit = memchr(base + i, Int32(UInt8(ascii: "\\")), n - i) {
            let k = base.distance(to: UnsafeRawPointer(hit))
            if k + 4 < n && raw[k + 1] == UInt8(ascii: "u") && raw[k + 2] == UInt8(ascii: "0")
                && raw[k + 3] == UInt8(ascii: "0") && raw[k + 4] == UInt8(ascii: "3")
            {
                return false
            }
            // Past the escaped character, so the second `\` of `\\` starts no escape.
            i = k + 2
        }
        return true
    }

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
