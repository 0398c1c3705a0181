/// What a record is: a chat (`soc`, in any `ChatLayout`) or an SPB persona. The one place every tool decides it
/// (soc-validate without `--kind`, soc-scrub, soc-stats, soc-dedup's default text).
public enum RecordKind: String, CaseIterable, Sendable {
    case soc
    case spb

    /// Keys only a SOC chat has: any one makes an object a chat.
    static let chatKeys: [StaticString] = ["chat_parts", "chat_id", "experience"]
    /// Keys only an SPB persona has (a chat's personas sit under `experience`, so a chat is
    /// checked first): any one makes an object a persona. `name` alone is not enough, many
    /// other records have one.
    static let personaKeys: [StaticString] = ["traits", "background", "chatting_style", "username"]

    /// The kind of `document`: `.soc` (a chat) when its root object has one of `layout`'s chat
    /// keys (`chat_parts`, `chat_id` or `experience`; with `auto` also `messages` or
    /// `conversations`, see `LayoutChoice.chatKeys`); else `.spb` when it has `traits`, `background`, `chatting_style` or
    /// `username`; else `nil` (not an object, or neither). Only the presence of a key counts,
    /// not its value: a chat whose `chat_parts` is not an array is still a chat (and then
    /// `not_a_chat` or a schema problem, depending on the tool).
    public static func detect(_ document: JSONDocument, layout: LayoutChoice = .auto) -> RecordKind? {
        let root = document.root
        guard document.kind(root) == .object else { return nil }
        for key in layout.chatKeys where document.member(root, key) != nil { return .soc }
        for key in personaKeys where document.member(root, key) != nil { return .spb }
        return nil
    }
}
