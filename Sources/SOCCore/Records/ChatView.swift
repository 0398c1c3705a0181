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

    /// The one walk over a chat: calls `body` with each part's tape index and ordinal, and each of
    /// its messages' tape index and ordinal, part by part, in order. Messages are any JSON values
    /// (a tool that needs strings checks the kind).
    @inline(__always)
    public func forEachMessage<E: Error>(_ body: (_ part: Int, _ partOrdinal: Int, _ message: Int, _ messageOrdinal: Int) throws(E) -> Void) throws(E) {
        var k = 0
        for part in document.elements(parts) {
            var j = 0
            for message in document.elements(messages(ofPart: part)) {
                try body(part, k, message, j)
                j += 1
            }
            k += 1
        }
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
