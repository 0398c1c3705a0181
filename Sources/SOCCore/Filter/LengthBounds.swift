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
    /// Number of `chat_parts`: `below_min_turns` / `above_max_turns`.
    public var turns = LengthBound()
    /// Messages over all parts: `below_min_messages` / `above_max_messages`.
    public var messages = LengthBound()
    /// Words over all message strings: `below_min_words` / `above_max_words`.
    public var words = LengthBound()
    /// Characters (code points) over all message strings: `below_min_chars` / `above_max_chars`.
    public var characters = LengthBound()
    /// Any single message longer than this many characters: `above_max_message_chars`.
    public var maxMessageCharacters: Int?

    public init() {}

    /// True when words or characters must be counted (they need a pass over the text).
    var needsText: Bool { !words.isUnbounded || !characters.isUnbounded || maxMessageCharacters != nil }
}
