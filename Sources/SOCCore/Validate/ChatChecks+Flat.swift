/// The chat checks of the flat layouts (OpenAI `messages`, ShareGPT `conversations`).
extension ChatChecks {
    /// Appends the problems of a flat chat: fewer than two turns (`too_few_turns`), a blank text
    /// (`empty_message`), tag problems, and an `<end/>` anywhere but in the chat's last text
    /// (`early_end`). Turns alternate by definition (a turn is a run of one role) and there are no
    /// persona ids, so SOC's sender and persona checks do not apply. Messages the schema rejects
    /// (not objects, no string role) are skipped here.
    func checkFlat(_ document: JSONDocument, _ layout: ChatLayout, into problems: inout [Diagnosis]) {
        guard let chat = ChatView.lenient(document, layout: LayoutChoice(layout)) else { return }
        let turnCount = chat.turnCount
        if turnCount < 2, !skip.contains(.tooFewTurns) {
            problems.append(
                Diagnosis(
                    code: .tooFewTurns, path: "$.\(layout.listKey)",
                    message: "\(turnCount) turn\(turnCount == 1 ? "" : "s"); a chat needs at least 2"))
        }
        // The chat's last text, where an <end/> belongs.
        var lastText: Int?
        chat.forEachMessage { _, message, _ in chat.forEachText(message) { text, _ in lastText = text } }
        let checkEmpty = !skip.contains(.emptyMessage)
        chat.forEachMessage { part, message, position in
            chat.forEachText(message) { text, item in
                let path = chat.textPath(part: part.ordinal, message: position, item: item)
                let isLast = text == lastText
                if document.hasEscapes(text) {
                    JSONString.unescape(document.stringContent(text)).withUnsafeBytes {
                        inspect(
                            $0, path: path, isLast: isLast, turn: part.ordinal, of: turnCount, checkEmpty: checkEmpty,
                            into: &problems, noun: "turn")
                    }
                } else {
                    inspect(
                        document.stringContent(text), path: path, isLast: isLast, turn: part.ordinal, of: turnCount,
                        checkEmpty: checkEmpty, into: &problems, noun: "turn")
                }
            }
        }
    }
}
