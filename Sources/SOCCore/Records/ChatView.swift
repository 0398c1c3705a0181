/// A read-only view of a chat record inside a parsed line, in any `ChatLayout`: a SOC chat
/// `{chat_id, experience: {persona1, persona2, ...}, chat_parts: [{sender, messages: [string]}], model}`,
/// or a flat list of messages (`messages: [{role, content}]`, `conversations: [{from, value}]`).
///
/// The one walk every tool reads chats with: turns (`forEachPart`), the messages of a turn
/// (`forEachMessage(in:)`) and the text strings of a message (`forEachText`), whatever the layout.
public struct ChatView {
    public let document: JSONDocument
    /// Tape index of the layout's list (`chat_parts`, `messages` or `conversations`; an array).
    public let parts: Int
    /// How the record lays out its conversation.
    public let layout: ChatLayout

    /// The chat view of `document` in the layout `choice` gives it, or a diagnosis saying why it
    /// is not a chat: no list under the layout's key; in SOC a part that is not
    /// `{sender, messages: [...]}`; in a flat layout a message that is not an object with a
    /// string `role` (`from`).
    public static func of(_ document: JSONDocument, layout choice: LayoutChoice = .auto) -> Result<ChatView, Diagnosis>
    {
        of(document, layout: choice) { _, _ in }
    }

    /// `of`, giving each SOC part and its `messages` array to `part` as they are checked
    /// (soc-scrub lists them so, without walking the parts' keys a second time).
    @inline(__always)
    static func of(
        _ document: JSONDocument, layout choice: LayoutChoice, part eachPart: (_ part: Int, _ messages: Int) -> Void
    ) -> Result<ChatView, Diagnosis> {
        guard document.kind(document.root) == .object else {
            return .failure(
                Diagnosis(
                    code: .notAChat, path: "$",
                    message: "record is \(document.kind(document.root).nameWithArticle), not a chat object"))
        }
        let layout = choice.layout(of: document)
        guard layout == .soc else { return flat(document, layout) }
        guard let parts = document.member(document.root, "chat_parts"), document.kind(parts) == .array
        else {
            return .failure(Diagnosis(code: .notAChat, path: "$.chat_parts", message: "record has no chat_parts array"))
        }
        let nodes = document.nodes
        for (k, part) in document.elements(parts).enumerated() {
            var messages: Int?
            // A part of two members with plain keys (every part of the datasets): both keys
            // tested without a loop (`PartKeys.twoMembers`); else, or with escaped keys, `member`.
            if nodes[part].kind == .object && nodes[part].count == 2,
                case let found = PartKeys.twoMembers(document, part: part), !found.escapedKeys
            {
                messages = found.messages >= 0 ? found.messages : nil
            } else {
                messages = document.member(part, "messages")
            }
            guard let messages, document.kind(messages) == .array else {
                return .failure(
                    Diagnosis(
                        code: .notAChat, path: "$.chat_parts[\(k)].messages", message: "part has no messages array"))
            }
            eachPart(part, messages)
        }
        return .success(ChatView(document: document, parts: parts, layout: .soc))
    }

    /// `of` for the flat layouts.
    private static func flat(_ document: JSONDocument, _ layout: ChatLayout) -> Result<ChatView, Diagnosis> {
        let key = layout.listKey
        guard let list = document.member(document.root, key), document.kind(list) == .array else {
            return .failure(Diagnosis(code: .notAChat, path: "$.\(key)", message: "record has no \(key) array"))
        }
        for (k, message) in document.elements(list).enumerated() {
            guard let speaker = document.member(message, layout.speakerKey), document.kind(speaker) == .string else {
                let what = document.kind(message) == .object ? "has no \(layout.speakerKey) string" : "is not an object"
                return .failure(
                    Diagnosis(code: .notAChat, path: "$.\(key)[\(k)]", message: "message \(what)"))
            }
        }
        return .success(ChatView(document: document, parts: list, layout: layout))
    }

    /// Number of turns: SOC parts, or runs of messages by one role (system messages left out).
    public var turnCount: Int {
        guard layout != .soc else { return document.count(parts) }
        var turns = 0
        forEachPart { _ in turns += 1 }
        return turns
    }

    /// A view of any record whose layout list is an array, whatever its elements hold: for
    /// soc-validate's chat checks, which leave wrong shapes to the schema. The walks give no
    /// sender or messages for a SOC part that is not an object, and no messages for one without
    /// a `messages` array; flat messages that are not objects with a string role are skipped.
    public static func lenient(_ document: JSONDocument, layout choice: LayoutChoice = .auto) -> ChatView? {
        guard document.kind(document.root) == .object else { return nil }
        let layout = choice.layout(of: document)
        guard let parts = document.member(document.root, layout.listKey), document.kind(parts) == .array
        else { return nil }
        return ChatView(document: document, parts: parts, layout: layout)
    }

    /// One turn as the walk gives it.
    public struct Part {
        /// Tape index of the part object (flat layouts: of the turn's first message).
        public var index: Int
        /// Its position among the turns, from 0 (SOC: in `chat_parts`).
        public var ordinal: Int
        /// Tape index of its `sender` value (any kind), if it has one (flat layouts: the role
        /// string of its messages).
        public var sender: Int?
        /// Tape index of its `messages` array, if it has one (flat layouts: nil).
        public var messages: Int?
        /// Flat layouts: the tape indices of the turn's message objects and their positions in
        /// the layout's list (empty for SOC).
        public var members: [Int] = []
        public var positions: [Int] = []
    }

    /// The one walk over a chat's turns. SOC: each part object in order, with its `sender` and
    /// `messages` found in one pass over its members (the last of a repeated key counts, as
    /// Python reads it). Flat layouts: each run of consecutive messages by one role, `system`
    /// (and `developer`) messages skipped as if they were not there.
    public func forEachPart<E: Error>(_ body: (Part) throws(E) -> Void) throws(E) {
        guard layout == .soc else { return try forEachFlatTurn(body) }
        var ordinal = 0
        for part in document.elements(parts) {
            defer { ordinal += 1 }
            // Tape indices of the values (-1: none), picked without a branch (`PartKeys`).
            var sender = -1
            var messages = -1
            var escapedKeys = false
            let nodes = document.nodes
            if nodes[part].kind == .object && nodes[part].count == 2 {
                // A part of two members (every part of the datasets): both keys tested without
                // a loop (`PartKeys.twoMembers`).
                (sender, messages, escapedKeys) = PartKeys.twoMembers(document, part: part)
            } else {
                // A part that is not an object (only in a lenient view) has no member keys.
                for key in document.memberKeys(part) {
                    escapedKeys = escapedKeys || document.hasEscapes(key)
                    let (isSender, isMessages) = PartKeys.match(document.stringContent(key))
                    sender = isSender ? key + 1 : sender
                    messages = isMessages ? key + 1 : messages
                }
            }
            var senderValue = sender >= 0 ? sender : nil
            var messagesValue = messages >= 0 ? messages : nil
            // Keys written with escapes: look them up the slow way (unescaped, last one wins).
            if escapedKeys {
                senderValue = document.member(part, "sender")
                messagesValue = document.member(part, "messages")
            }
            if let m = messagesValue, document.kind(m) != .array { messagesValue = nil }
            try body(Part(index: part, ordinal: ordinal, sender: senderValue, messages: messagesValue))
        }
    }

    /// `forEachPart` for the flat layouts: a turn ends where the role changes.
    private func forEachFlatTurn<E: Error>(_ body: (Part) throws(E) -> Void) throws(E) {
        var current: Part?
        var ordinal = 0
        for (position, message) in document.elements(parts).enumerated() {
            guard let role = document.member(message, layout.speakerKey), document.kind(role) == .string,
                !ChatLayout.isSystem(document, role: role)
            else { continue }
            if let sender = current?.sender, Self.sameString(document, sender, role) {
                current?.members.append(message)
                current?.positions.append(position)
                continue
            }
            if let turn = current {
                try body(turn)
                ordinal += 1
            }
            current = Part(
                index: message, ordinal: ordinal, sender: role, messages: nil, members: [message],
                positions: [position])
        }
        if let turn = current { try body(turn) }
    }

    /// Number of messages in `part`.
    public func messageCount(_ part: Part) -> Int {
        if layout != .soc { return part.members.count }
        return part.messages.map { document.count($0) } ?? 0
    }

    /// Each message of `part`, in order: its tape index (SOC: the message value, any JSON kind;
    /// flat layouts: the message object) and its position (SOC: in the part's `messages`; flat
    /// layouts: in the layout's list).
    public func forEachMessage<E: Error>(in part: Part, _ body: (_ message: Int, _ position: Int) throws(E) -> Void)
        throws(E)
    {
        if layout != .soc {
            for k in part.members.indices { try body(part.members[k], part.positions[k]) }
            return
        }
        guard let messages = part.messages else { return }
        var position = 0
        for message in document.elements(messages) {
            try body(message, position)
            position += 1
        }
    }

    /// Each message of each part, in order: the part, and the message's tape index and position
    /// (as `forEachMessage(in:)` gives them).
    public func forEachMessage<E: Error>(_ body: (_ part: Part, _ message: Int, _ ordinal: Int) throws(E) -> Void)
        throws(E)
    {
        try forEachPart { (part) throws(E) in
            try forEachMessage(in: part) { (message, position) throws(E) in try body(part, message, position) }
        }
    }

    /// The text strings of `message` (tape indices), in order, each with its index in a list
    /// `content` (nil otherwise): SOC, the message itself when it is a string; OpenAI, a string
    /// `content`, or the string `text` of each part of a list `content` (a bare string part
    /// counts too); ShareGPT, a string `value`. `null` and other kinds hold no text.
    public func forEachText<E: Error>(_ message: Int, _ body: (_ text: Int, _ item: Int?) throws(E) -> Void) throws(E) {
        switch layout {
        case .soc:
            if document.kind(message) == .string { try body(message, nil) }
        case .openai, .sharegpt:
            guard let content = document.member(message, layout.textKey) else { return }
            switch document.kind(content) {
            case .string: try body(content, nil)
            case .array where layout == .openai:
                for (k, item) in document.elements(content).enumerated() {
                    if document.kind(item) == .string {
                        try body(item, k)
                    } else if let text = document.member(item, "text"), document.kind(text) == .string {
                        try body(text, k)
                    }
                }
            default: return
            }
        }
    }

    /// The JSONPath of a message's text: `$.chat_parts[p].messages[m]`, `$.messages[m].content`
    /// (`.content[i].text` for a list part), `$.conversations[m].value`.
    public func textPath(part: Int, message: Int, item: Int? = nil) -> String {
        switch layout {
        case .soc: return "$.chat_parts[\(part)].messages[\(message)]"
        case .openai:
            return "$.messages[\(message)].content" + (item.map { "[\($0)].text" } ?? "")
        case .sharegpt: return "$.conversations[\(message)].value"
        }
    }

    /// True when the string values at `a` and `b` are equal (after unescaping).
    static func sameString(_ document: JSONDocument, _ a: Int, _ b: Int) -> Bool {
        if !document.hasEscapes(a) && !document.hasEscapes(b) {
            return document.raw(a).elementsEqualBytes(document.raw(b))
        }
        return document.withStringBytes(b) { document.stringEquals(a, $0) }
    }
}

extension ReasonCode {
    /// The record is not a chat (no `chat_parts` array of `{sender, messages}`, or no list of
    /// messages with a role in its layout).
    public static let notAChat: ReasonCode = "not_a_chat"
}
