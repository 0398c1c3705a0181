/// How a chat record lays out its conversation (docs/formats.md, "Chat layouts"):
///
/// - `soc`: `{"chat_parts": [{"sender", "messages": [string, ...]}, ...]}`, a turn per part;
/// - `openai`: `{"messages": [{"role", "content", "name"?}, ...]}`;
/// - `sharegpt`: `{"conversations": [{"from", "value"}, ...]}`.
///
/// In the two flat layouts a turn is a run of consecutive messages by one role, `system`
/// messages are not part of the conversation (not turns, not messages, no text), and a
/// message's text is its string content, or the string `text` of each part of a list content
/// (`null` content has none).
public enum ChatLayout: String, CaseIterable, Sendable {
    case soc
    case openai
    case sharegpt

    /// The top-level key of the layout's list (`chat_parts`, `messages`, `conversations`).
    public var listKey: StaticString {
        switch self {
        case .soc: return "chat_parts"
        case .openai: return "messages"
        case .sharegpt: return "conversations"
        }
    }

    /// The key of a message's speaker (`role`, `from`; a SOC part's `sender`).
    var speakerKey: StaticString {
        switch self {
        case .soc: return "sender"
        case .openai: return "role"
        case .sharegpt: return "from"
        }
    }

    /// The key of a flat message's text (`content`, `value`; a SOC part's `messages`).
    var textKey: StaticString {
        switch self {
        case .soc: return "messages"
        case .openai: return "content"
        case .sharegpt: return "value"
        }
    }

    /// True when the string at `role` names a message outside the conversation: `system`, and
    /// OpenAI's newer name for it, `developer`.
    static func isSystem(_ document: JSONDocument, role: Int) -> Bool {
        guard document.kind(role) == .string else { return false }
        return document.stringEquals(role, UnsafeRawBufferPointer(start: Self.system.utf8Start, count: 6))
            || document.stringEquals(role, UnsafeRawBufferPointer(start: Self.developer.utf8Start, count: 9))
    }
    private static let system: StaticString = "system"
    private static let developer: StaticString = "developer"
}

/// `--layout`: a chat layout, or `auto` to tell each record's by its keys.
public enum LayoutChoice: String, CaseIterable, Sendable {
    case auto
    case soc
    case openai
    case sharegpt

    /// The choice of exactly `layout`.
    public init(_ layout: ChatLayout) {
        switch layout {
        case .soc: self = .soc
        case .openai: self = .openai
        case .sharegpt: self = .sharegpt
        }
    }

    /// The layout of the chat record `document`: the chosen one, or with `auto` by its keys:
    /// `chat_parts` → soc, else `messages` → openai, else `conversations` → sharegpt, else soc
    /// (a record with only `chat_id` or `experience` is a SOC chat without its parts).
    public func layout(of document: JSONDocument) -> ChatLayout {
        switch self {
        case .soc: return .soc
        case .openai: return .openai
        case .sharegpt: return .sharegpt
        case .auto:
            let root = document.root
            if document.member(root, "chat_parts") != nil { return .soc }
            if document.member(root, "messages") != nil { return .openai }
            if document.member(root, "conversations") != nil { return .sharegpt }
            return .soc
        }
    }

    /// Keys any one of which makes an object a chat under this choice (checked before the
    /// persona keys): SOC's `chat_parts`, `chat_id`, `experience`; `messages`; `conversations`.
    var chatKeys: [StaticString] {
        switch self {
        case .soc: return RecordKind.chatKeys
        case .openai: return Self.openaiKeys
        case .sharegpt: return Self.sharegptKeys
        case .auto: return Self.anyChatKeys
        }
    }
    private static let openaiKeys: [StaticString] = ["messages"]
    private static let sharegptKeys: [StaticString] = ["conversations"]
    /// `RecordKind.chatKeys` and the other layouts' keys, written out: a literal array of
    /// literals is made at compile time, with a reference count no thread writes. Computed
    /// (`RecordKind.chatKeys + [...]`) it was made at run time, and every record's
    /// `RecordKind.detect` retained and released it from every worker thread (perf probes on
    /// swift_retain/release at `--threads 2`: ~2.5k switches of its cache line between the
    /// cores per 20 MB of the realistic bench file).
    private static let anyChatKeys: [StaticString] = [
        "chat_parts", "chat_id", "experience", "messages", "conversations",
    ]
}
