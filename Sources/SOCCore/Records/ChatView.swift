/// A read-only view of a SOC chat record inside a parsed line:
/// `{chat_id, experience: {persona1, persona2, ...}, chat_parts: [{sender, messages: [string]}], model}`.
public struct ChatView {
    public let document: JSONDocument
    /// Tape index of `chat_parts` (an array).
    public let parts: Int

    /// The chat view of `document`, or a diagnosis saying why it is not a chat
    /// (no `chat_parts` array, a part that is not `{sender, messages: [...]}`).
    public static func of(_ document: JSONDocument) -> Result<ChatView, Diagnosis> {
        guard document.kind(document.root) == .object else {
            return .failure(Diagnosis(code: .notAChat, path: "$", message: "record is \(document.kind(document.root).nameWithArticle), not a chat object"))
        }
        guard let parts = document.member(document.root, "chat_parts"), document.kind(parts) == .array else {
            return .failure(Diagnosis(code: .notAChat, path: "$.chat_parts", message: "record has no chat_parts array"))
        }
        for (k, part) in document.elements(parts).enumerated() {
            guard let messages = document.member(part, "messages"), document.kind(messages) == .array else {
                return .failure(Diagnosis(code: .notAChat, path: "$.chat_parts[\(k)].messages", message: "part has no messages array"))
            }
        }
        return .success(ChatView(document: document, parts: parts))
    }

    /// Number of parts (turns).
    public var turnCount: Int { document.count(parts) }

    /// Tape indices of the parts, in order.
    public var partIndices: JSONDocument.ChildSequence { document.elements(parts) }

    /// Tape index of a part's `messages` array.
    public func messages(ofPart part: Int) -> Int {
        document.member(part, "messages")!
    }

    /// Tape index of a part's `sender`, if present.
    public func sender(ofPart part: Int) -> Int? {
        document.member(part, "sender")
    }
}

extension ReasonCode {
    /// The record is not a SOC chat (no `chat_parts` array of `{sender, messages}`).
    public static let notAChat: ReasonCode = "not_a_chat"
}
