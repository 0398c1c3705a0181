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
            return .failure(
                Diagnosis(
                    code: .notAChat, path: "$",
                    message: "record is \(document.kind(document.root).nameWithArticle), not a chat object"))
        }
        guard let parts = document.member(document.root, "chat_parts"), document.kind(parts) == .array else {
            return .failure(Diagnosis(code: .notAChat, path: "$.chat_parts", message: "record has no chat_parts array"))
        }
        for (k, part) in document.elements(parts).enumerated() {
            guard let messages = document.member(part, "messages"), document.kind(messages) == .array else {
                return .failure(
                    Diagnosis(
                        code: .notAChat, path: "$.chat_parts[\(k)].messages", message: "part has no messages array"))
            }
        }
        return .success(ChatView(document: document, parts: parts))
    }

    /// Number of parts (turns).
    public var turnCount: Int { document.count(parts) }

    /// A view of any record whose `chat_parts` is an array, whatever its parts hold: for
    /// soc-validate's chat checks, which leave wrong shapes to the schema. The walks give no
    /// sender or messages for a part that is not an object, and no messages for one without a
    /// `messages` array.
    public static func lenient(_ document: JSONDocument) -> ChatView? {
        guard document.kind(document.root) == .object, let parts = document.member(document.root, "chat_parts"),
            document.kind(parts) == .array
        else { return nil }
        return ChatView(document: document, parts: parts)
    }

    /// One part as the walk gives it.
    public struct Part {
        /// Tape index of the part object.
        public var index: Int
        /// Its position in `chat_parts`, from 0.
        public var ordinal: Int
        /// Tape index of its `sender` value (any kind), if it has one.
        public var sender: Int?
        /// Tape index of its `messages` array, if it has one.
        public var messages: Int?
    }

    /// The one walk over a chat's parts: each part object in order, with its `sender` and
    /// `messages` found in one pass over its members (the last of a repeated key counts, as
    /// Python reads it).
    public func forEachPart<E: Error>(_ body: (Part) throws(E) -> Void) throws(E) {
        var ordinal = 0
        for part in document.elements(parts) {
            defer { ordinal += 1 }
            var sender: Int?
            var messages: Int?
            var escapedKeys = false
            // A part that is not an object (only in a lenient view) has no member keys.
            for key in document.memberKeys(part) {
                let name = document.stringContent(key)
                escapedKeys = escapedKeys || document.hasEscapes(key)
                if name.count == 6 && name.elementsEqualBytes("sender") {
                    sender = key + 1
                } else if name.count == 8 && name.elementsEqualBytes("messages") {
                    messages = key + 1
                }
            }
            // Keys written with escapes: look them up the slow way (unescaped, last one wins).
            if escapedKeys {
                sender = document.member(part, "sender")
                messages = document.member(part, "messages")
            }
            if let m = messages, document.kind(m) != .array { messages = nil }
            try body(Part(index: part, ordinal: ordinal, sender: sender, messages: messages))
        }
    }

    /// Each message of each part, in order: the part, and the message's tape index and position
    /// in its part. Messages are any JSON values (a tool that needs strings checks the kind).
    public func forEachMessage<E: Error>(_ body: (_ part: Part, _ message: Int, _ ordinal: Int) throws(E) -> Void)
        throws(E)
    {
        try forEachPart { (part) throws(E) in
            guard let messages = part.messages else { return }
            var ordinal = 0
            for message in document.elements(messages) {
                try body(part, message, ordinal)
                ordinal += 1
            }
        }
    }
}

extension ReasonCode {
    /// The record is not a SOC chat (no `chat_parts` array of `{sender, messages}`).
    public static let notAChat: ReasonCode = "not_a_chat"
}
