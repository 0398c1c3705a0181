import ArgumentParser
import SOCCore

/// `soc-filter`: keeps chats whose length is within the given bounds.
@main
struct FilterCommand: ToolCommand {
    static let configuration = CommandConfiguration(
        commandName: "soc-filter",
        abstract: "Keep chats whose turns, messages, words or characters are within bounds.",
        discussion: """
            A chat fails when any given bound fails; it is removed with a reason naming the bound (below_min_turns, above_max_words, above_max_message_chars, ...). Chats that pass are written byte-identical, in order. A record that is not a chat in its layout is rejected (not_a_chat). Words are runs of non-blank characters; characters are Unicode code points. OpenAI (messages) and ShareGPT (conversations) chats are read too (--layout): a turn is a run of messages by one role, system messages are not counted, and a message's text is its string content or the text parts of a list content (docs/formats.md).

            Examples:
              cat raw.jsonl | soc-validate | soc-scrub | soc-dedup | soc-filter \\
                --min-turns 4 > clean.jsonl
              soc-filter --min-turns 10 --max-turns 24 --report report.json \\
                --rejects bad.jsonl chats.jsonl.zst

            Exit status: 0 ok, 1 rejected lines without --rejects (or with --strict), 2 usage, 3 I/O error.
            """,
        version: SOCTools.version
    )

    @OptionGroup var common: CommonOptions
    @OptionGroup var removal: RemovedOption
    @OptionGroup var layout: LayoutOption

    @Option(help: ArgumentHelp("Minimum number of parts (turns).", valueName: "n")) var minTurns: Int?
    @Option(help: ArgumentHelp("Maximum number of parts (turns).", valueName: "n")) var maxTurns: Int?
    @Option(help: ArgumentHelp("Minimum number of messages over all parts.", valueName: "n")) var minMessages: Int?
    @Option(help: ArgumentHelp("Maximum number of messages over all parts.", valueName: "n")) var maxMessages: Int?
    @Option(help: ArgumentHelp("Minimum number of words over all messages.", valueName: "n")) var minWords: Int?
    @Option(help: ArgumentHelp("Maximum number of words over all messages.", valueName: "n")) var maxWords: Int?
    @Option(help: ArgumentHelp("Minimum number of characters over all messages.", valueName: "n")) var minChars: Int?
    @Option(help: ArgumentHelp("Maximum number of characters over all messages.", valueName: "n")) var maxChars: Int?
    @Option(help: ArgumentHelp("Remove chats with any single message longer than N characters.", valueName: "n"))
    var maxMessageChars: Int?

    func validate() throws {
        // Negative bounds come in as `--max-turns=-5` (a separate `-5` reads as an option).
        for (name, low, high) in [
            ("turns", minTurns, maxTurns), ("messages", minMessages, maxMessages), ("words", minWords, maxWords),
            ("chars", minChars, maxChars),
        ] {
            if let low, low < 0 { throw ValidationError("--min-\(name) must not be negative (got \(low))") }
            if let high, high < 0 { throw ValidationError("--max-\(name) must not be negative (got \(high))") }
            if let low, let high, low > high {
                throw ValidationError("--min-\(name) \(low) is greater than --max-\(name) \(high)")
            }
        }
        if let maxMessageChars, maxMessageChars < 0 {
            throw ValidationError("--max-message-chars must not be negative (got \(maxMessageChars))")
        }
    }

    func run() throws {
        var bounds = LengthBounds()
        bounds.turns = LengthBound(minimum: minTurns, maximum: maxTurns)
        bounds.messages = LengthBound(minimum: minMessages, maximum: maxMessages)
        bounds.words = LengthBound(minimum: minWords, maximum: maxWords)
        bounds.characters = LengthBound(minimum: minChars, maximum: maxChars)
        bounds.maxMessageCharacters = maxMessageChars
        let runner = RecordRunner(
            configuration: RunConfiguration(tool: "soc-filter", common: common, removed: removal.removed),
            stage: LengthFilterStage(bounds: bounds, layout: layout.layout)
        )
        try runner.run()
    }
}
