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
        // persona1's and persona2's ids, in the order the next sender is compared with them.
        var likelyID = id1 ?? 0
        var otherID = id2 ?? 0
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
                Self.reportSameSender(document, sender, part: k, into: &problems)
            }
            previousSender = sender
            // The id this part's sender most likely has (the one the last part's sender did not)
            // is tried first, so the first compare nearly always holds: tried as persona1's id
            // first, it held every other part and was mispredicted ~150,000 times a run.
            if checkSender, let sender {
                if Self.sameString(document, sender, likelyID) {
                    swap(&likelyID, &otherID)
                } else if !Self.sameString(document, sender, otherID) {
                    Self.reportUnknownSender(document, sender, part: k, into: &problems)
                }
            }
            guard let messages = part.messages else { return }
            let messageCount = document.count(messages)
            for (j, message) in document.elements(messages).enumerated() where document.kind(message) == .string {
                // Half of the records are written with `\u` escapes; most of their messages
                // have nothing `inspect` would look at, which the raw bytes show.
                let plain = !document.hasEscapes(message)
                if plain
                    ? Self.holdsNoTag(document, message, before: &nextTag)
                    : Self.needsNoInspection(document.stringContent(message))
                {
                    continue
                }
                // A `<` the line search already found inside the message need not be searched again.
                let content = Int(document.nodes[message].start) + 1
                let knownTag = plain && nextTag >= content && nextTag < Int(document.nodes[message].end) - 1
                inspectMessage(
                    document, message, plain: plain, knownTag: knownTag, part: k, of: partCount, message: j,
                    isLast: k == partCount - 1 && j == messageCount - 1, checkEmpty: checkEmpty, into: &problems)
            }
        }
    }

    /// `inspect` of message `j` of part `k` (the string at `message`, `plain` when it has no
    /// escapes; `knownTag` when it is known to hold a `<`). Out of line, with its one `inspect`
    /// (and `TagScanner.scan`) inlined, so the per-part loop stays small: it was ~9 KB of code
    /// with two inlined copies (I1 misses).
    @inline(never)
    func inspectMessage(
        _ document: JSONDocument, _ message: Int, plain: Bool, knownTag: Bool, part k: Int, of partCount: Int,
        message j: Int,
        isLast: Bool, checkEmpty: Bool, into problems: inout [Diagnosis]
    ) {
        if !plain {
            JSONString.unescape(document.stringContent(message), into: &scratch.bytes) { _, _ in 0xFFFD }
        }
        func look(_ text: UnsafeRawBufferPointer) {
            inspect(
                text, path: "$.chat_parts[\(k)].messages[\(j)]", isLast: isLast, turn: k, of: partCount,
                checkEmpty: checkEmpty, into: &problems, knownTag: knownTag)
        }
        if plain { look(document.stringContent(message)) } else { scratch.bytes.withUnsafeBytes { look($0) } }
    }

    /// Appends `same_sender_twice` for part `k` (out of line: a cold path).
    @inline(never)
    static func reportSameSender(_ document: JSONDocument, _ sender: Int, part k: Int, into problems: inout [Diagnosis])
    {
        problems.append(
            Diagnosis(
                code: .sameSenderTwice, path: "$.chat_parts[\(k)].sender",
                message: "parts \(k) and \(k + 1) are both by \(document.string(sender) ?? ""); the speakers take turns"
            ))
    }

    /// Appends `unknown_sender` for part `k` (out of line: a cold path).
    @inline(never)
    static func reportUnknownSender(
        _ document: JSONDocument, _ sender: Int, part k: Int, into problems: inout [Diagnosis]
    ) {
        problems.append(
            Diagnosis(
                code: .unknownSender, path: "$.chat_parts[\(k)].sender",
                message: "\(document.string(sender) ?? "") is neither persona1's nor persona2's id"))
    }

    /// White space and tags of one message text (unescaped UTF-8) at `path` (built only when a
    /// problem is found), in turn `k` of `partCount`; `isLast` when it is the chat's last text;
    /// `knownTag` when the text is known to hold a `<`.
    func inspect(
        _ text: UnsafeRawBufferPointer, path: @autoclosure () -> String, isLast: Bool, turn k: Int, of partCount: Int,
        checkEmpty: Bool, into problems: inout [Diagnosis], noun: String = "part", knownTag: Bool = false
    ) {
        // Most messages start with a visible ASCII character and hold no `<`: two byte tests and a memchr.
        if checkEmpty, text.isEmpty || text[0] >= 0x80 || Self.isSpace(text[0]), BlankText.isBlank(text) {
            Self.report(
                .emptyMessage, path(),
                text.isEmpty ? "empty message" : "message holds only white space or invisible characters",
                into: &problems)
            return
        }
        // `knownTag`: the caller's search already found a `<` in the text.
        guard knownTag || text.baseAddress.map({ memchr($0, Int32(UInt8(ascii: "<")), text.count) != nil }) == true
        else { return }
        var hasEnd = false
        TagScanner.scan(text) { tag in
            if let problem = tag.problem {
                if !skip.contains(problem.code) { Self.report(problem.code, path(), problem.message, into: &problems) }
            } else if tag.name == .end {
                hasEnd = true
            }
        }
        if hasEnd, !isLast, !skip.contains(.earlyEnd) {
            Self.report(
                .earlyEnd, path(),
                "<end/> in \(noun) \(k + 1) of \(partCount); it belongs at the end of the last message",
                into: &problems)
        }
    }

    /// Appends one problem (out of line: a cold path kept out of the inlined scans).
    @inline(never)
    static func report(_ code: ReasonCode, _ path: String, _ message: String, into problems: inout [Diagnosis]) {
        problems.append(Diagnosis(code: code, path: path, message: message))
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
