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
        var tally = ChatTally(
            figures: figures, bound: bound, document: document, persona1ID: persona1ID, persona2ID: persona2ID)
        var endsWithEnd = false
        // Messages of other senders, persona1 and persona2 (`tally.sender`'s 0, 1, 2).
        var bySender = SIMD4<Int>()
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
            let who = tally.sender(document, sender, raw: senderBytes)
            if ordinal == 0 { countOpener(who) }
            let messageCount = messages.map { Int(nodes[$0].count) } ?? 0
            tally.turn(messages: messageCount)
            // Indexed, not switched on: whose turn it is alternates and was a mispredicted branch a turn.
            bySender[who] &+= messageCount
            guard let messages else { continue }
            var message = messages + 1
            for k in 0..<messageCount {
                let index = message
                let node = nodes[index]
                message = Int(node.next)
                // A message that is not a string holds no text: no figures.
                guard node.kind == .string else { continue }
                let isLastMessage = isLast && k == messageCount - 1
                let content = document.stringContent(of: node)
                let escaped = node.flags & JSONNode.hasEscapes != 0
                let measured =
                    escaped
                    ? TextMeasure.measure(escaped: content)
                    : content.count >= 16
                        ? TextMeasure.contentMeasure(content.baseAddress!, content.count) : TextMeasure.measure(content)
                // Only a message with no word, or whose first character after ASCII blanks is a
                // blank one not in ASCII, can be blank (`BlankText.mayBeBlank`).
                var blank = measured.words == 0 || BlankText.mayBeBlank(content, escaped: escaped)
                var messageTags: UInt8 = 0
                if blank || measured.hasAngleBracket {
                    ChatScratch.withStringBytes(document, index, into: &unescaped) { text in
                        if blank && !BlankText.isBlank(text) { blank = false }
                        guard measured.hasAngleBracket else {
                            if isLastMessage { endsWithEnd = false }
                            return
                        }
                        messageTags |= countTags(text)
                        if isLastMessage { endsWithEnd = Self.endsWithEndTag(text) }
                    }
                } else if isLastMessage {
                    endsWithEnd = false
                }
                if blank { blankMessages += 1 }
                tally.message(words: measured.words, characters: measured.characters)
                guard messageTags != 0 else { continue }
                countMessageTags(messageTags)
                tally.tags(messageTags, isLast: isLast)
            }
        }
        otherSenderMessages += bySender[0]
        persona1Messages += bySender[1]
        persona2Messages += bySender[2]
        finish(tally, turnCount: turnCount, endsWithEnd: endsWithEnd)
    }

    /// The `sender` value and the `messages` array of the part at tape index `part` (nil when
    /// missing, or for `messages` not an array), as `ChatView.forEachPart` finds them: the last
    /// of a repeated key counts, and a part with an escaped key is looked up the slow way.
    @inline(__always)
    static func senderAndMessages(_ document: JSONDocument, part: Int) -> (sender: Int?, messages: Int?) {
        let nodes = document.nodes
        guard nodes[part].kind == .object else { return (nil, nil) }
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
            let name = document.stringContent(of: node)
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
