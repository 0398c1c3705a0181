/// `ChatStats.addParts` for SOC chats, the common layout, over the tape itself.
///
/// The general walk (`ChatView.forEachPart`, `forEachMessage(in:)`, `forEachText`) serves every
/// layout: a `Part` value per turn, a layout switch per message, and each text's bytes cut
/// from the line with range checks. A SOC message is one string in a `messages` array, so
/// here the parts and messages are followed by their tape links, a text's bytes are taken
/// from its node, and the `sender` and `messages` keys are compared as one or two machine
/// words. The figures are those of the general walk (the tests compare the two).
extension ChatStats {
    /// The parts of a SOC `chat` counted as `addParts` counts them, its per-message and
    /// per-turn figures gathered in `figures` (room for `3 * bound`), texts unescaped into
    /// `scratch`.
    mutating func addSOCParts(
        _ chat: ChatView, figures: UnsafeMutablePointer<Int>, bound: Int, persona1ID: Int?, persona2ID: Int?,
        scratch: ChatScratch
    ) {
        let document = chat.document
        let nodes = document.nodes
        guard let line = document.bytes.baseAddress else { return }
        let turnCount = chat.turnCount
        var unescaped = scratch.unescaped
        scratch.unescaped = []
        defer { scratch.unescaped = unescaped.capacity > ChatScratch.figureLimit ? [] : unescaped }
        let messageWords = figures
        let messageCharacters = figures + bound
        let turnMessages = figures + 2 * bound
        var messagesSeen = 0
        var chatMessages = 0
        var chatWords = 0
        var chatCharacters = 0
        var chatTags: UInt8 = 0
        var lastPartTags: UInt8 = 0
        var endsWithEnd = false
        var previousSender: UnsafeRawBufferPointer?
        var run = 0
        var longestRun = 0
        let id1Text = persona1ID.flatMap(Self.plainString(document))
        let id2Text = persona2ID.flatMap(Self.plainString(document))
        var part = chat.parts + 1
        for ordinal in 0..<turnCount {
            let partIndex = part
            part = Int(nodes[part].next)
            let (sender, messages) = Self.senderAndMessages(document, part: partIndex)
            let isLast = ordinal == turnCount - 1
            // `document.raw`, in place.
            let senderBytes = sender.map { index in
                UnsafeRawBufferPointer(
                    start: line + Int(nodes[index].start), count: Int(nodes[index].end) - Int(nodes[index].start))
            }
            var who = 0
            if let sender, let senderBytes {
                let plain = document.kind(sender) == .string && !document.hasEscapes(sender)
                func isSender(_ id: Int?, _ idText: UnsafeRawBufferPointer?) -> Bool {
                    guard let id else { return false }
                    if plain, let idText { return Self.sameBytes(senderBytes, idText) }
                    return Self.same(document, sender, id)
                }
                if isSender(persona1ID, id1Text) {
                    who = 1
                } else if isSender(persona2ID, id2Text) {
                    who = 2
                }
            }
            if ordinal == 0 {
                if who == 1 { persona1FirstChats += 1 } else if who == 2 { persona2FirstChats += 1 }
            }
            if let previous = previousSender, let current = senderBytes, Self.sameBytes(previous, current) {
                run += 1
            } else {
                run = 1
            }
            previousSender = senderBytes ?? UnsafeRawBufferPointer(start: nil, count: 0)
            if run > longestRun { longestRun = run }

            let messageCount = messages.map { Int(nodes[$0].count) } ?? 0
            turnMessages[ordinal] = messageCount
            chatMessages += messageCount
            switch who {
            case 1: persona1Messages += messageCount
            case 2: persona2Messages += messageCount
            default: otherSenderMessages += messageCount
            }
            guard let messages else { continue }
            var message = messages + 1
            for k in 0..<messageCount {
                let index = message
                let node = nodes[index]
                message = Int(node.next)
                // A message that is not a string holds no text: no figures.
                guard node.kind == .string else { continue }
                let isLastMessage = isLast && k == messageCount - 1
                let content = UnsafeRawBufferPointer(
                    start: line + Int(node.start) + 1, count: Int(node.end) - Int(node.start) - 2)
                let escaped = node.flags & JSONNode.hasEscapes != 0
                let measured =
                    escaped
                    ? TextMeasure.measure(escaped: content)
                    : content.count >= 16
                        ? TextMeasure.vectorMeasure(content.baseAddress!, content.count) : TextMeasure.measure(content)
                // Only a message with no word, or whose first byte is not ASCII, can be blank.
                var blank =
                    measured.words == 0
                    || (escaped ? TextMeasure.startsWithNonASCII(escaped: content) : content[0] >= 0x80)
                var messageTags: UInt8 = 0
                if blank || measured.hasAngleBracket {
                    ChatScratch.withStringBytes(document, index, into: &unescaped) { text in
                        if blank && !BlankText.isBlank(text) { blank = false }
                        guard measured.hasAngleBracket else {
                            if isLastMessage { endsWithEnd = false }
                            return
                        }
                        messageTags |= scanTags(text)
                        if isLastMessage { endsWithEnd = Self.endsWithEndTag(text) }
                    }
                } else if isLastMessage {
                    endsWithEnd = false
                }
                if blank { blankMessages += 1 }
                messageWords[messagesSeen] = measured.words
                messageCharacters[messagesSeen] = measured.characters
                messagesSeen += 1
                chatWords += measured.words
                chatCharacters += measured.characters
                guard messageTags != 0 else { continue }
                tags.withUnsafeMutableBufferPointer { tags in
                    // Each tag whose bit is set (`ChatTag.bit`), lowest first.
                    var bits = messageTags
                    while bits != 0 {
                        tags[bits.trailingZeroBitCount].messages += 1
                        bits &= bits &- 1
                    }
                }
                chatTags |= messageTags
                if isLast { lastPartTags |= messageTags }
            }
        }
        messagesPerTurn.add(contentsOf: UnsafeBufferPointer(start: turnMessages, count: turnCount))
        wordsPerMessage.add(contentsOf: UnsafeBufferPointer(start: messageWords, count: messagesSeen))
        charactersPerMessage.add(contentsOf: UnsafeBufferPointer(start: messageCharacters, count: messagesSeen))
        messagesPerChat.add(chatMessages)
        wordsPerChat.add(chatWords)
        charactersPerChat.add(chatCharacters)
        if turnCount > 0 {
            longestSpeakerRun.add(longestRun)
            if longestRun == turnCount { singleSpeakerChats += 1 }
        }
        for tag in ChatTag.allCases where chatTags & tag.bit != 0 { tags[tag.rawValue].chats += 1 }
        if lastPartTags & ChatTag.end.bit != 0 { endInLastPartChats += 1 }
        if endsWithEnd { endAtEndChats += 1 }
    }

    /// The `sender` value and the `messages` array of the part at tape index `part` (nil when
    /// missing, or for `messages` not an array), as `ChatView.forEachPart` finds them: the last
    /// of a repeated key counts, and a part with an escaped key is looked up the slow way.
    @inline(__always)
    static func senderAndMessages(_ document: JSONDocument, part: Int) -> (sender: Int?, messages: Int?) {
        let nodes = document.nodes
        guard nodes[part].kind == .object, let line = document.bytes.baseAddress else { return (nil, nil) }
        var sender: Int?
        var messages: Int?
        var key = part + 1
        for _ in 0..<Int(nodes[part].count) {
            let node = nodes[key]
            if node.flags & JSONNode.hasEscapes != 0 {
                sender = document.member(part, "sender")
                messages = document.member(part, "messages")
                break
            }
            let name = UnsafeRawBufferPointer(
                start: line + Int(node.start) + 1, count: Int(node.end) - Int(node.start) - 2)
            if name.equalsShort("sender") {
                sender = key + 1
            } else if name.equalsShort("messages") {
                messages = key + 1
            }
            key = Int(nodes[key + 1].next)
        }
        if let m = messages, nodes[m].kind != .array { messages = nil }
        return (sender, messages)
    }
}
