/// Removes chats whose length falls outside the bounds; passes the rest byte-identical.
/// Turns, messages and text are those of `ChatView`'s walk, in any layout.
public final class LengthFilterStage: RecordStage {
    public let bounds: LengthBounds
    /// `--layout`.
    public let layout: LayoutChoice

    public init(bounds: LengthBounds, layout: LayoutChoice = .auto) {
        self.bounds = bounds
        self.layout = layout
    }

    public func makeWorker() -> RecordStage? { LengthFilterStage(bounds: bounds, layout: layout) }

    public func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict {
        let chat: ChatView
        switch ChatView.of(document, layout: layout) {
        case .success(let view): chat = view
        case .failure(let diagnosis): return .reject(diagnosis)
        }
        if let failure = Self.check(chat.turnCount, bounds.turns, "turns") { return .remove(failure) }

        var messageCount = 0
        var wordCount = 0
        var characterCount = 0
        var tooLong: Diagnosis?
        chat.forEachPart { part in
            guard tooLong == nil else { return }
            messageCount += chat.messageCount(part)
            guard bounds.needsText else { return }
            chat.forEachMessage(in: part) { message, k in
                guard tooLong == nil else { return }
                // A message's characters: over all its text (the text parts of a list content).
                var messageCharacters = 0
                chat.forEachText(message) { text, _ in
                    let figures = document.withStringBytes(text) { TextMeasure.measure($0) }
                    messageCharacters += figures.characters
                    wordCount += figures.words
                    characterCount += figures.characters
                }
                if let limit = bounds.maxMessageCharacters, messageCharacters > limit {
                    tooLong = Diagnosis(
                        code: "above_max_message_chars", path: chat.textPath(part: part.ordinal, message: k),
                        message: "message has \(messageCharacters) characters, more than --max-message-chars \(limit)")
                }
            }
        }
        if let tooLong { return .remove(tooLong) }
        if let failure = Self.check(messageCount, bounds.messages, "messages") { return .remove(failure) }
        if let failure = Self.check(wordCount, bounds.words, "words") { return .remove(failure) }
        if let failure = Self.check(characterCount, bounds.characters, "chars") { return .remove(failure) }
        return .keep
    }

    /// `below_min_<noun>` or `above_max_<noun>` when `value` is outside `bound` (named after the
    /// option, so they cannot be confused with soc-validate's `too_few_turns`, a chat under 2 parts).
    static func check(_ value: Int, _ bound: LengthBound, _ noun: String) -> Diagnosis? {
        if let minimum = bound.minimum, value < minimum {
            return Diagnosis(code: ReasonCode("below_min_\(noun)"), message: "\(value) \(noun), fewer than \(minimum)")
        }
        if let maximum = bound.maximum, value > maximum {
            return Diagnosis(code: ReasonCode("above_max_\(noun)"), message: "\(value) \(noun), more than \(maximum)")
        }
        return nil
    }
}
