import ArgumentParser

extension LayoutChoice: ExpressibleByArgument {}

/// `--layout`, shared by the tools that read chats (docs/formats.md, "Chat layouts").
public struct LayoutOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "How chats lay out their messages: soc (chat_parts), openai (messages: role, content), sharegpt (conversations: from, value), or auto: by the keys of each record.",
            valueName: "layout"))
    public var layout: LayoutChoice = .auto

    public init() {}
}
