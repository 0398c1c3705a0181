/// soc-scrub on the flat chat layouts (OpenAI `messages`, ShareGPT `conversations`).
///
/// Every text of every conversation message (system messages are left alone) goes through the
/// message rules, as a SOC message does. The `{persona}` values are the `name` fields of the
/// record's messages, so the speaker-label rule applies only where the record names its
/// speakers. What a rule did becomes message objects again: a text split in pieces makes that
/// many copies of its message (or of its part of a list `content`), each with one piece, so
/// the role, name and other members stay; a text left empty drops its message (its part); a
/// chat left with fewer than 2 turns is rejected (`emptied_by_scrub`). A turn is a run of one
/// role, so messages split or dropped re-form the turns by themselves.
extension ScrubStage {
    /// What the rules made of one text of a flat message.
    struct FlatChange {
        /// The message object and its position in the layout's list.
        var message: Int
        var position: Int
        /// The text string, and its index in a list `content` (nil: the content itself).
        var text: Int
        var item: Int?
        var outcome: ScrubOutcome
        var escapes: [[UInt8]]
    }

    func scrubFlat(_ chat: ChatView, at location: RecordLocation) -> Verdict {
        let document = chat.document
        let scrubber = engine.messageScrubber
        scrubber.beginRecord()
        var changes: [FlatChange] = []
        var failure: (RuleMatchFailure, String)?
        chat.forEachMessage { part, message, position in
            guard failure == nil else { return }
            chat.forEachText(message) { text, item in
                guard failure == nil else { return }
                do throws(RuleMatchFailure) {
                    if let change = try scrubMessage(
                        document, text, scrubber, names: { Self.speakerNames(chat) })
                    {
                        changes.append(
                            FlatChange(
                                message: message, position: position, text: text, item: item,
                                outcome: change.outcome, escapes: change.escapes))
                    }
                } catch {
                    failure = (error, chat.textPath(part: part.ordinal, message: position, item: item))
                }
            }
        }
        if let (error, path) = failure { return .reject(Self.limitDiagnosis(error, path: path)) }
        if changes.isEmpty { return .keep }

        let asciiOnly = JSONSplice.isASCII(document.bytes)
        // Each changed message: what it becomes (no element: dropped; several: split).
        var replacements: [Int: [[UInt8]]] = [:]
        var next = 0
        while next < changes.count {
            var end = next
            while end < changes.count && changes[end].message == changes[next].message { end += 1 }
            replacements[changes[next].message] = Self.rebuild(
                document, message: changes[next].message, Array(changes[next..<end]), asciiOnly: asciiOnly)
            next = end
        }

        let list = chat.parts
        let edit: JSONEdit
        if replacements.values.allSatisfy({ $0.count == 1 }) {
            // Every message stays one message: each is rewritten in place.
            let edits = replacements.map { JSONEdit(range: document.span($0.key), replacement: $0.value[0]) }
            return commitFlat(
                changes, document, at: location, edits: edits.sorted { $0.range.lowerBound < $1.range.lowerBound })
        }
        var roles: [Int] = []
        var elements: [[UInt8]] = []
        for element in document.elements(list) {
            let copies = replacements[element] ?? [Array(document.raw(element))]
            elements.append(contentsOf: copies)
            if let role = document.member(element, chat.layout.speakerKey) {
                roles.append(contentsOf: repeatElement(role, count: copies.count))
            }
        }
        let dropped = replacements.values.contains { $0.isEmpty }
        if dropped {
            let turns = Self.turns(document, roles: roles)
            if turns < 2 {
                return .reject(
                    Diagnosis(
                        code: .emptiedByScrub, path: "$.\(chat.layout.listKey)",
                        message:
                            "scrubbing leaves \(turns) turn\(turns == 1 ? "" : "s") (a chat needs at least 2); the record is not written"
                    ))
            }
        }
        let separator = JSONSplice.separator(in: document, array: list)
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        for (k, element) in elements.enumerated() {
            if k > 0 { bytes.append(contentsOf: separator) }
            bytes.append(contentsOf: element)
        }
        bytes.append(UInt8(ascii: "]"))
        edit = JSONEdit(range: document.span(list), replacement: bytes)
        return commitFlat(changes, document, at: location, edits: [edit])
    }

    /// Counts and logs the changes of a record that is written, and returns its edits.
    private func commitFlat(
        _ changes: [FlatChange], _ document: JSONDocument, at location: RecordLocation, edits: [JSONEdit]
    )
        -> Verdict
    {
        let id = document.member(document.root, "id").flatMap { document.string($0) }
        for change in changes {
            count(change.outcome, at: location, id: id, part: change.position, message: change.item)
        }
        return .edit(edits)
    }

    /// What message object `message` becomes after `changes` (its texts' outcomes): copies of
    /// it, one per piece of a split string content; itself with its list content rebuilt (a part
    /// copied per piece, dropped when emptied); nothing when no text is left.
    static func rebuild(_ document: JSONDocument, message: Int, _ changes: [FlatChange], asciiOnly: Bool) -> [[UInt8]] {
        let span = document.span(message)
        func encoded(_ piece: [UInt8], _ change: FlatChange) -> [UInt8] {
            var bytes: [UInt8] = []
            JSONSplice.appendString(piece, asciiOnly: asciiOnly, escapes: change.escapes, to: &bytes)
            return bytes
        }
        // A string content: the message once per piece.
        if changes.count == 1, changes[0].item == nil {
            let change = changes[0]
            return change.outcome.pieces.map { piece in
                JSONSplice.apply(
                    [JSONEdit(range: document.span(change.text), replacement: encoded(piece, change))], within: span,
                    of: document.bytes)
            }
        }
        // A list content: each changed part once per piece.
        guard let content = document.member(message, "content") else { return [] }
        var byItem: [Int: FlatChange] = [:]
        for change in changes { if let item = change.item { byItem[item] = change } }
        var items: [[UInt8]] = []
        for (k, item) in document.elements(content).enumerated() {
            guard let change = byItem[k] else {
                items.append(Array(document.raw(item)))
                continue
            }
            for piece in change.outcome.pieces {
                let text = encoded(piece, change)
                if change.text == item {
                    items.append(text)
                } else {
                    items.append(
                        JSONSplice.apply(
                            [JSONEdit(range: document.span(change.text), replacement: text)],
                            within: document.span(item),
                            of: document.bytes))
                }
            }
        }
        if items.isEmpty { return [] }
        let separator = JSONSplice.separator(in: document, array: content)
        var list: [UInt8] = [UInt8(ascii: "[")]
        for (k, item) in items.enumerated() {
            if k > 0 { list.append(contentsOf: separator) }
            list.append(contentsOf: item)
        }
        list.append(UInt8(ascii: "]"))
        return [
            JSONSplice.apply(
                [JSONEdit(range: document.span(content), replacement: list)], within: span, of: document.bytes)
        ]
    }

    /// The turns among messages with these roles (tape indices of role values, in order): runs of
    /// one role, system messages left out.
    static func turns(_ document: JSONDocument, roles: [Int]) -> Int {
        var turns = 0
        var previous: Int?
        for role in roles where document.kind(role) == .string && !ChatLayout.isSystem(document, role: role) {
            if let previous, ChatView.sameString(document, previous, role) { continue }
            turns += 1
            previous = role
        }
        return turns
    }

    /// The speakers a flat chat names: the string `name` of each of its messages (OpenAI's
    /// `name`; a ShareGPT message's `name` when it has one). None: the label rule cannot match.
    static func speakerNames(_ chat: ChatView) -> PersonaNames {
        var names: [(name: String?, username: String?)] = []
        let document = chat.document
        for message in document.elements(chat.parts) {
            guard let name = document.member(message, "name"), let text = document.string(name) else { continue }
            if !names.contains(where: { $0.name == text }) { names.append((text, nil)) }
        }
        return PersonaNames(names)
    }
}
