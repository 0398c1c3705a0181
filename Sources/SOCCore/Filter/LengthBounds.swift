/// An inclusive range a measure must fall in; either end may be open.
public struct LengthBound: Sendable {
    public var minimum: Int?
    public var maximum: Int?

    public init(minimum: Int? = nil, maximum: Int? = nil) {
        self.minimum = minimum
        self.maximum = maximum
    }

    /// True when no end is set.
    public var isUnbounded: Bool { minimum == nil && maximum == nil }
}

/// The bounds `soc-filter` checks, and the reason code each failure is removed with.
public struct LengthBounds: Sendable {
    /// Number of `chat_parts`: `too_few_turns` / `too_many_turns`.
    public var turns = LengthBound()
    /// Messages over all parts: `too_few_messages` / `too_many_messages`.
    public var messages = LengthBound()
    /// Words over all message strings: `too_few_words` / `too_many_words`.
    public var words = LengthBound()
    /// Characters (code points) over all message strings: `too_few_chars` / `too_many_chars`.
    public var characters = LengthBound()
    /// Any single message longer than this many characters: `message_too_long`.
    public var maxMessageCharacters: Int?

    public init() {}

    /// True when words or characters must be counted (they need a pass over the text).
    var needsText: Bool { !words.isUnbounded || !characters.isUnbounded || maxMessageCharacters != nil }
}
