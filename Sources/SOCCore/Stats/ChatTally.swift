/// One chat's running figures while its parts are walked, shared by the general walk
/// (`ChatStats.addParts`, every layout) and the SOC walk over the tape (`addSOCParts`), so the
/// two differ only in how they find parts, senders and texts: which persona sent each turn,
/// the longest run of turns by one sender, the per-turn and per-message counts (gathered in the
/// caller's `figures`, added in one go by `ChatStats.finish`), and the chat's tags.
///
/// Its methods are inlined into both walks: they run per turn and per message.
struct ChatTally {
    /// Words of each message so far, in order.
    let messageWords: UnsafeMutablePointer<Int>
    /// Characters of each message so far, in order.
    let messageCharacters: UnsafeMutablePointer<Int>
    /// Messages of each turn so far, in order.
    let turnMessages: UnsafeMutablePointer<Int>
    /// The personas' ids (tape indexes), and their raw text when it is a string without escapes
    /// (the common case: hex ids), read once per chat and compared in place with a sender.
    let persona1ID: Int?
    let persona2ID: Int?
    let id1Text: UnsafeRawBufferPointer?
    let id2Text: UnsafeRawBufferPointer?
    /// True when both ids are plain and differ: a plain sender then matches at most one, and
    /// `sender` may try persona2's first.
    let idsDiffer: Bool
    /// Who sent the turn before (`sender`'s 0, 1, 2).
    var previousWho = 0

    var messagesSeen = 0
    var turnsSeen = 0
    var chatMessages = 0
    var chatWords = 0
    var chatCharacters = 0
    /// The tags (`ChatTag.bit`) of the whole chat, and of its last turn.
    var chatTags: UInt8 = 0
    var lastPartTags: UInt8 = 0
    var previousSender: UnsafeRawBufferPointer?
    var run = 0
    var longestRun = 0

    /// A tally whose per-message and per-turn figures go to `figures` (room for `3 * bound`).
    @inline(__always)
    init(
        figures: UnsafeMutablePointer<Int>, bound: Int, document: JSONDocument, persona1ID: Int?, persona2ID: Int?
    ) {
        messageWords = figures
        messageCharacters = figures + bound
        turnMessages = figures + 2 * bound
        self.persona1ID = persona1ID
        self.persona2ID = persona2ID
        id1Text = persona1ID.flatMap(ChatStats.plainString(document))
        id2Text = persona2ID.flatMap(ChatStats.plainString(document))
        if let id1Text, let id2Text { idsDiffer = !ChatStats.sameBytes(id1Text, id2Text) } else { idsDiffer = false }
    }

    /// Takes the next turn's sender (its tape index and raw text, nil when it has none) and
    /// returns who sent it: 1 or 2 for persona1's or persona2's id, 0 for anyone else.
    /// (`@_transparent`: with `@inline(__always)` the optimizer still called it once per turn,
    /// +2.9M instructions for soc-stats on the first 20 MB of the realistic bench file.)
    @_transparent
    mutating func sender(_ document: JSONDocument, _ sender: Int?, raw senderBytes: UnsafeRawBufferPointer?) -> Int {
        var who = 0
        if let sender, let senderBytes {
            let plain = document.kind(sender) == .string && !document.hasEscapes(sender)
            if plain && idsDiffer, let id1Text, let id2Text {
                // Turns alternate between the personas: the one that did not send the turn
                // before is compared first, and nearly always matches (trying persona1's id
                // first matched every other turn, a branch mispredicted on two turns in three).
                let guess = previousWho == 1 ? 2 : 1
                if ChatStats.sameBytes(senderBytes, guess == 2 ? id2Text : id1Text) {
                    who = guess
                } else if ChatStats.sameBytes(senderBytes, guess == 2 ? id1Text : id2Text) {
                    who = 3 - guess
                }
            } else if Self.isSender(document, sender, senderBytes, plain: plain, persona1ID, id1Text) {
                who = 1
            } else if Self.isSender(document, sender, senderBytes, plain: plain, persona2ID, id2Text) {
                who = 2
            }
        }
        previousWho = who
        if let previous = previousSender, let current = senderBytes, ChatStats.sameBytes(previous, current) {
            run += 1
        } else {
            run = 1
        }
        previousSender = senderBytes ?? UnsafeRawBufferPointer(start: nil, count: 0)
        if run > longestRun { longestRun = run }
        return who
    }

    /// True when `sender` (raw text `senderBytes`, a string without escapes when `plain`) is the
    /// persona id at `id` (raw text `idText` when plain too).
    @inline(__always)
    private static func isSender(
        _ document: JSONDocument, _ sender: Int, _ senderBytes: UnsafeRawBufferPointer, plain: Bool, _ id: Int?,
        _ idText: UnsafeRawBufferPointer?
    ) -> Bool {
        guard let id else { return false }
        if plain, let idText { return ChatStats.sameBytes(senderBytes, idText) }
        return ChatStats.same(document, sender, id)
    }

    /// Counts a turn of `messageCount` messages.
    @inline(__always)
    mutating func turn(messages messageCount: Int) {
        turnMessages[turnsSeen] = messageCount
        turnsSeen += 1
        chatMessages += messageCount
    }

    /// Counts a message of `words` words and `characters` characters.
    @inline(__always)
    mutating func message(words: Int, characters: Int) {
        messageWords[messagesSeen] = words
        messageCharacters[messagesSeen] = characters
        messagesSeen += 1
        chatWords += words
        chatCharacters += characters
    }

    /// Notes a message's tags (`ChatTag.bit`), in the last turn when `isLast`.
    @inline(__always)
    mutating func tags(_ messageTags: UInt8, isLast: Bool) {
        chatTags |= messageTags
        if isLast { lastPartTags |= messageTags }
    }
}

extension ChatStats {
    /// Adds the figures of a chat of `turnCount` turns, walked into `tally`; `endsWithEnd` when
    /// its last message ends with `<end/>` (a local of the walks: their closures set it, and a
    /// captured tally would live in memory for every count).
    @inline(__always)
    mutating func finish(_ tally: ChatTally, turnCount: Int, endsWithEnd: Bool) {
        messagesPerTurn.add(contentsOf: UnsafeBufferPointer(start: tally.turnMessages, count: tally.turnsSeen))
        wordsPerMessage.add(contentsOf: UnsafeBufferPointer(start: tally.messageWords, count: tally.messagesSeen))
        charactersPerMessage.add(
            contentsOf: UnsafeBufferPointer(start: tally.messageCharacters, count: tally.messagesSeen))
        messagesPerChat.add(tally.chatMessages)
        wordsPerChat.add(tally.chatWords)
        charactersPerChat.add(tally.chatCharacters)
        if turnCount > 0 {
            longestSpeakerRun.add(tally.longestRun)
            if tally.longestRun == turnCount { singleSpeakerChats += 1 }
        }
        // Each tag's bit added to its count, without a branch per tag (which chats hold which
        // tags is not predictable: ~4 mispredicted branches a chat).
        let chatTags = Int(tally.chatTags)
        tags.withUnsafeMutableBufferPointer { tags in
            for tag in 0..<tags.count { tags[tag].chats += chatTags >> tag & 1 }
        }
        if tally.lastPartTags & ChatTag.end.bit != 0 { endInLastPartChats += 1 }
        if endsWithEnd { endAtEndChats += 1 }
    }

    /// Counts who opened the chat (`who` of its first turn, as `ChatTally.sender` gives it).
    @inline(__always)
    mutating func countOpener(_ who: Int) {
        if who == 1 { persona1FirstChats += 1 } else if who == 2 { persona2FirstChats += 1 }
    }

    /// Counts one message for each tag whose bit (`ChatTag.bit`) is set in `messageTags`,
    /// lowest bit first.
    @inline(__always)
    mutating func countMessageTags(_ messageTags: UInt8) {
        tags.withUnsafeMutableBufferPointer { tags in
            var bits = messageTags
            while bits != 0 {
                tags[bits.trailingZeroBitCount].messages += 1
                bits &= bits &- 1
            }
        }
    }
}
