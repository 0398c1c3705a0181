/// Removes chats whose length falls outside the bounds; passes the rest byte-identical.
public final class LengthFilterStage: RecordStage {
    public let bounds: LengthBounds

    public init(bounds: LengthBounds) {
        self.bounds = bounds
    }

    public func makeWorker() -> RecordStage? { LengthFilterStage(bounds: bounds) }

    public func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict {
        let chat: ChatView
        switch ChatView.of(document) {
        case .success(let view): chat = view
        case .failure(let diagnosis): return .reject(diagnosis)
        }
        if let failure = Self.check(chat.turnCount, bounds.turns, "turns") { return .remove(failure) }

        var messageCount = 0
        var wordCount = 0
        var characterCount = 0
        var tooLong: Diagnosis?
        chat.forEachPart { part in
            guard tooLong == nil, let messages = part.messages else { return }
            messageCount += document.count(messages)
            guard bounds.needsText else { return }
            for (k, message) in document.elements(messages).enumerated() where document.kind(message) == .string {
                let figures = document.withStringBytes(message) { TextMeasure.measure($0) }
                if let limit = bounds.maxMessageCharacters, figures.characters > limit {
                    tooLong = Diagnosis(
                        code: "above_max_message_chars", path: "$.chat_parts[\(part.ordinal)].messages[\(k)]",
                        message: "message has \(figures.characters) characters, more than --max-message-chars \(limit)")
                    return
                }
                wordCount += figures.words
                characterCount += figures.characters
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
