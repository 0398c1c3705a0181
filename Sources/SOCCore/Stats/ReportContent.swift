#if canImport(Glibc)
    import Glibc
#endif

/// What the human-readable reports (Markdown, HTML) show, shared so that both list the same
/// figures under the same labels.
enum ReportContent {
    /// A numeric figure with the label a reader sees and its metric name (for `--require`).
    struct Figure {
        var label: String
        var metric: String
        /// What one value is counted per (the y axis of its chart): chats, messages, personas.
        var counted = "chats"
        var accumulator: NumericAccumulator
    }

    static func chatFigures(_ c: ChatStats) -> [Figure] {
        [
            Figure(label: "Turns (parts) per chat", metric: "turns", accumulator: c.turns),
            Figure(
                label: "Messages per turn", metric: "messages_per_turn", counted: "turns",
                accumulator: c.messagesPerTurn),
            Figure(label: "Messages per chat", metric: "messages_per_chat", accumulator: c.messagesPerChat),
            Figure(
                label: "Words per message", metric: "words_per_message", counted: "messages",
                accumulator: c.wordsPerMessage),
            Figure(
                label: "Characters per message", metric: "chars_per_message", counted: "messages",
                accumulator: c.charactersPerMessage),
            Figure(label: "Words per chat", metric: "words_per_chat", accumulator: c.wordsPerChat),
            Figure(label: "Characters per chat", metric: "chars_per_chat", accumulator: c.charactersPerChat),
            Figure(
                label: "Longest run of parts by one speaker", metric: "speakers.longest_run",
                accumulator: c.longestSpeakerRun),
            Figure(
                label: "Delay of a delay tag (minutes)", metric: "delay_minutes", counted: "delay tags",
                accumulator: c.delayMinutes),
            Figure(
                label: "Relationship length (characters)", metric: "experience.relationship_chars",
                accumulator: c.relationshipCharacters),
            Figure(
                label: "Situation length (characters)", metric: "experience.situation_chars",
                accumulator: c.situationCharacters),
            Figure(
                label: "Topic length (characters)", metric: "experience.topic_chars", accumulator: c.topicCharacters),
        ]
    }

    static func personaFigures(_ p: PersonaStats, prefix: String) -> [Figure] {
        [
            Figure(label: "Age", metric: "\(prefix).age", counted: "personas", accumulator: p.age),
            Figure(
                label: "Traits per persona", metric: "\(prefix).traits_per_persona", counted: "personas",
                accumulator: p.traitsPerPersona),
            Figure(
                label: "Background length (characters)", metric: "\(prefix).background_chars", counted: "personas",
                accumulator: p.backgroundCharacters),
            Figure(
                label: "Chatting style length (characters)", metric: "\(prefix).chatting_style_chars",
                counted: "personas",
                accumulator: p.chattingStyleCharacters),
        ]
    }

    /// The columns of a figure row after its label.
    static let figureColumns = ["n", "min", "max", "mean", "std", "p50", "p90", "p99"]

    static func figureCells(_ a: NumericAccumulator) -> [String] {
        guard a.count > 0 else { return [integer(0)] + Array(repeating: "–", count: 7) }
        return [
            integer(a.count), decimal(a.minimum), decimal(a.maximum), decimal(a.mean!), decimal(a.standardDeviation!),
            decimal(a.quantile(0.5)!), decimal(a.quantile(0.9)!), decimal(a.quantile(0.99)!),
        ]
    }

    /// `12,345`.
    static func integer(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (k, ch) in digits.enumerated() {
            if k > 0 && (digits.count - k) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return value < 0 ? "-" + out : out
    }

    /// Whole numbers as integers, others with up to two decimals.
    /// Figures of 1e15 and beyond print in Swift's shortest form (`1e+17`): converting them to
    /// `Int` for grouping would trap past 2^63.
    static func decimal(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return String(value) }
        if value == value.rounded() { return integer(Int(value)) }
        let hundredths = Int((abs(value) * 100).rounded())
        let fraction = hundredths % 100
        let digits = fraction % 10 == 0 ? String(fraction / 10) : (fraction < 10 ? "0\(fraction)" : String(fraction))
        let sign = value < 0 && hundredths > 0 ? "-" : ""
        return sign + integer(hundredths / 100) + (fraction == 0 ? "" : "." + digits)
    }

    /// `37.5 %` (or `–` without a whole).
    static func percent(_ part: Int, _ whole: Int) -> String {
        guard whole > 0 else { return "–" }
        return decimal(Double(part) * 100 / Double(whole)) + " %"
    }
}
