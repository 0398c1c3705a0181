#if canImport(Glibc)
    import Glibc
#endif

/// Figures over chats (any `ChatLayout`), gathered one chat at a time in constant memory.
public struct ChatStats: Equatable, Sendable {
    /// Per-tag counts: occurrences, messages holding the tag, chats holding it.
    public struct TagCount: Equatable, Sendable {
        public var occurrences = 0
        public var messages = 0
        public var chats = 0
    }

    public var records = 0
    public var turns = NumericAccumulator()
    public var messagesPerTurn = NumericAccumulator()
    public var messagesPerChat = NumericAccumulator()
    public var wordsPerMessage = NumericAccumulator()
    public var charactersPerMessage = NumericAccumulator()
    public var wordsPerChat = NumericAccumulator()
    public var charactersPerChat = NumericAccumulator()
    /// Longest run of consecutive parts by one sender, per chat.
    public var longestSpeakerRun = NumericAccumulator()
    public var delayMinutes = NumericAccumulator()
    public var relationshipCharacters = NumericAccumulator()
    public var situationCharacters = NumericAccumulator()
    public var topicCharacters = NumericAccumulator()

    /// Messages sent by persona1, persona2, or an id that is neither.
    public var persona1Messages = 0
    public var persona2Messages = 0
    public var otherSenderMessages = 0
    /// Chats whose first part is by persona1 / persona2.
    public var persona1FirstChats = 0
    public var persona2FirstChats = 0
    /// Chats in which every part has the same sender.
    public var singleSpeakerChats = 0
    /// OpenAI and ShareGPT chats (no personas: their messages are counted by `roles`, not as
    /// persona1's, persona2's or another sender's).
    public var flatChats = 0
    /// Messages of OpenAI and ShareGPT chats per role (`from`), system messages left out.
    public var roles = CategoryCounter(capacity: 100)
    /// String messages that are blank (`BlankText`: only White_Space and default-ignorable
    /// characters), which soc-validate rejects as `empty_message` and soc-scrub drops.
    public var blankMessages = 0

    /// Indexed by `ChatTag.rawValue`.
    public var tags = [TagCount](repeating: TagCount(), count: ChatTag.allCases.count)
    /// Chats with an `<end/>` in their last part.
    public var endInLastPartChats = 0
    /// Chats whose very last message ends with `<end/>` (trailing blanks allowed).
    public var endAtEndChats = 0

    /// Persona figures already counted; `personas` adds those still in `pendingPersonas`.
    private var countedPersonas = PersonaStats()
    private var pendingPersonas = PersonaBuffer()
    /// Chat model names counted so far; `models` adds the run still pending.
    private var countedModels = CategoryCounter(capacity: 100)
    /// The model name of the last chats, and how many chats in a row named it, not yet in
    /// `countedModels`: consecutive chats mostly name the same model, and counting each chat's
    /// name in the dictionary (hashing it) cost ~500 instructions and ~38 instruction-cache
    /// misses a chat. One `add(name, count:)` per run counts as that many single adds would.
    private var pendingModel: String?
    private var pendingModelCount = 0

    /// The `model` names of the chats.
    public var models: CategoryCounter {
        get {
            var all = countedModels
            if let pendingModel { all.add(pendingModel, count: pendingModelCount) }
            return all
        }
        set {
            countedModels = newValue
            pendingModel = nil
            pendingModelCount = 0
        }
    }

    /// Counts one chat's model name (in the pending run when it is the run's name).
    private mutating func addModel(_ name: String) {
        if let pendingModel, pendingModel == name {
            pendingModelCount += 1
            return
        }
        flushModel()
        pendingModel = name
        pendingModelCount = 1
    }

    /// Adds the pending run of model names to `countedModels`.
    private mutating func flushModel() {
        guard let name = pendingModel else { return }
        countedModels.add(name, count: pendingModelCount)
        pendingModel = nil
        pendingModelCount = 0
    }

    /// The two personas of each chat, counted per appearance.
    public var personas: PersonaStats {
        get {
            var all = countedPersonas
            pendingPersonas.flush(into: &all)
            return all
        }
        set {
            countedPersonas = newValue
            pendingPersonas = PersonaBuffer()
        }
    }

    /// Adds the buffered persona objects' figures in place (as `personas = personas` does,
    /// without copying the figures counted so far).
    mutating func flushPersonas() {
        guard !pendingPersonas.isEmpty else { return }
        pendingPersonas.flush(into: &countedPersonas)
        pendingPersonas = PersonaBuffer()
    }

    /// Counts one appearance of a persona object (see `PersonaBuffer`), by its slot in `cache`
    /// when given (its figures read once per worker), else by its bytes.
    private mutating func countPersona(_ document: JSONDocument, _ persona: Int, cache: PersonaFiguresCache?) {
        let bytes = document.raw(persona)
        let hash = XXH3.hash64(bytes)
        if let cache, pendingPersonas.accepts(cache) || pendingPersonas.isEmpty,
            let slot = cache.slot(document, persona: persona, bytes: bytes, hash: hash)
        {
            if !pendingPersonas.accepts(cache) { pendingPersonas = PersonaBuffer() }
            if pendingPersonas.note(slot: slot, cache: cache) { return }
            pendingPersonas.flush(into: &countedPersonas)
            pendingPersonas = PersonaBuffer()
            _ = pendingPersonas.note(slot: slot, cache: cache)
            return
        }
        let read = {
            cache.flatMap { cache in
                cache.slot(document, persona: persona, bytes: bytes, hash: hash).map { cache.figures(at: $0) }
            } ?? PersonaFigures(document, persona: persona)
        }
        if pendingPersonas.note(bytes, hash: hash, read: read) { return }
        if !pendingPersonas.isEmpty {
            pendingPersonas.flush(into: &countedPersonas)
            pendingPersonas = PersonaBuffer()
            if pendingPersonas.note(bytes, hash: hash, read: read) { return }
        }
        read().add(to: &countedPersonas, times: 1)
    }

    public init() {}

    /// Counts one chat.
    public mutating func add(_ chat: ChatView) {
        add(chat, personaCache: nil)
    }

    /// Counts one chat, the figures of its persona objects read through `personaCache`, with the
    /// memory of `scratch` when given; a SOC chat's parts by `addSOCParts` unless `generalWalk`
    /// (the tests' reference).
    mutating func add(
        _ chat: ChatView, personaCache: PersonaFiguresCache?, scratch: ChatScratch? = nil, generalWalk: Bool = false
    ) {
        guard let scratch else {
            add(chat, personaCache: personaCache, scratch: ChatScratch(), generalWalk: generalWalk)
            return
        }
        let document = chat.document
        records += 1
        let turnCount = chat.turnCount
        turns.add(turnCount)

        var persona1ID: Int?
        var persona2ID: Int?
        let isFlat = chat.layout != .soc
        if isFlat { flatChats += 1 }
        if let experience = document.member(document.root, "experience"),
            document.kind(experience) == .object
        {
            let members = ExperienceMembers(document, experience)
            if let persona = members.persona1, document.kind(persona) == .object {
                countPersona(document, persona, cache: personaCache)
                persona1ID = document.member(persona, "id")
            }
            if let persona = members.persona2, document.kind(persona) == .object {
                countPersona(document, persona, cache: personaCache)
                persona2ID = document.member(persona, "id")
            }
            if let text = members.relationship, document.kind(text) == .string {
                relationshipCharacters.add(TextMeasure.measure(document, string: text).characters)
            }
            if let text = members.situation, document.kind(text) == .string {
                situationCharacters.add(TextMeasure.measure(document, string: text).characters)
            }
            if let text = members.topic, document.kind(text) == .string {
                topicCharacters.add(TextMeasure.measure(document, string: text).characters)
            }
        }
        if let model = document.member(document.root, "model"),
            let name = scratch.modelName(document, model)
        {
            addModel(name)
        }

        // Per-message and per-turn figures are gathered here and added per chat (their bins in
        // one go); a chat has fewer messages, and fewer turns, than its document has values.
        let bound = document.nodes.count
        scratch.withFigures(3 * bound) { figures in
            if chat.layout == .soc && !generalWalk {
                addSOCParts(
                    chat, figures: figures, bound: bound, persona1ID: persona1ID, persona2ID: persona2ID,
                    scratch: scratch)
            } else {
                addParts(
                    chat, figures: figures, bound: bound, persona1ID: persona1ID, persona2ID: persona2ID,
                    scratch: scratch)
            }
        }
    }

    /// Counts the parts of `chat` (`add`), its per-message and per-turn figures gathered in
    /// `figures` (room for `3 * bound`), texts unescaped into `scratch`.
    private mutating func addParts(
        _ chat: ChatView, figures: UnsafeMutablePointer<Int>, bound: Int, persona1ID: Int?, persona2ID: Int?,
        scratch: ChatScratch
    ) {
        let document = chat.document
        let turnCount = chat.turnCount
        let isFlat = chat.layout != .soc
        var unescaped = scratch.unescaped
        scratch.unescaped = []
        defer { scratch.unescaped = unescaped.capacity > ChatScratch.figureLimit ? [] : unescaped }
        var tally = ChatTally(
            figures: figures, bound: bound, document: document, persona1ID: persona1ID, persona2ID: persona2ID)
        var endsWithEnd = false
        chat.forEachPart { part in
            let ordinal = part.ordinal
            let isLast = ordinal == turnCount - 1
            let sender = part.sender
            let senderBytes = sender.map { document.raw($0) }
            let who = tally.sender(document, sender, raw: senderBytes)
            if ordinal == 0 { countOpener(who) }
            let messageCount = chat.messageCount(part)
            tally.turn(messages: messageCount)
            if isFlat {
                if let sender, let role = document.string(sender) { roles.add(role, count: messageCount) }
            } else {
                switch who {
                case 1: persona1Messages += messageCount
                case 2: persona2Messages += messageCount
                default: otherSenderMessages += messageCount
                }
            }
            var k = 0
            chat.forEachMessage(in: part) { message, _ in
                k += 1
                // A message's figures are over all its text (the text parts of a list content).
                var texts = 0
                var words = 0
                var characters = 0
                var blank = true
                var messageTags: UInt8 = 0
                let isLastMessage = isLast && k == messageCount
                chat.forEachText(message) { string, _ in
                    texts += 1
                    // Measured on the escaped bytes; the text is unescaped only to look for tags or
                    // blanks.
                    let content = document.stringContent(string)
                    let escaped = document.hasEscapes(string)
                    let figures = escaped ? TextMeasure.measure(escaped: content) : TextMeasure.measure(content)
                    words += figures.words
                    characters += figures.characters
                    // Only a message with no word, or whose first character after ASCII blanks is a
                    // blank one not in ASCII, can be blank (`BlankText.mayBeBlank`).
                    let mayBeBlank =
                        blank && (figures.words == 0 || BlankText.mayBeBlank(content, escaped: escaped))
                    if !mayBeBlank { blank = false }
                    guard mayBeBlank || figures.hasAngleBracket else {
                        if isLastMessage { endsWithEnd = false }
                        return
                    }
                    ChatScratch.withStringBytes(document, string, into: &unescaped) { text in
                        if mayBeBlank && !BlankText.isBlank(text) { blank = false }
                        guard figures.hasAngleBracket else {
                            if isLastMessage { endsWithEnd = false }
                            return
                        }
                        messageTags |= scanTags(text)
                        if isLastMessage { endsWithEnd = Self.endsWithEndTag(text) }
                    }
                }
                guard texts > 0 else { return }
                if blank { blankMessages += 1 }
                tally.message(words: words, characters: characters)
                guard messageTags != 0 else { return }
                countMessageTags(messageTags)
                tally.tags(messageTags, isLast: isLast)
            }
        }
        finish(tally, turnCount: turnCount, endsWithEnd: endsWithEnd)
    }

    /// Counts the tags of one text and returns the bits of those it holds (`ChatTag.bit`).
    mutating func scanTags(_ text: UnsafeRawBufferPointer) -> UInt8 {
        var messageTags: UInt8 = 0
        TagScanner.scan(text) { tag in
            if tag.role == .opening {
                tags[tag.name.rawValue].occurrences += 1
                messageTags |= tag.name.bit
                if let delay = tag.delayMinutes { delayMinutes.add(delay) }
            }
            if tag.problem != nil {
                tags[ChatTag.illFormed.rawValue].occurrences += 1
                messageTags |= ChatTag.illFormed.bit
            }
        }
        return messageTags
    }

    /// Adds another shard's figures.
    public mutating func merge(_ other: ChatStats) {
        records += other.records
        turns.merge(other.turns)
        messagesPerTurn.merge(other.messagesPerTurn)
        messagesPerChat.merge(other.messagesPerChat)
        wordsPerMessage.merge(other.wordsPerMessage)
        charactersPerMessage.merge(other.charactersPerMessage)
        wordsPerChat.merge(other.wordsPerChat)
        charactersPerChat.merge(other.charactersPerChat)
        longestSpeakerRun.merge(other.longestSpeakerRun)
        delayMinutes.merge(other.delayMinutes)
        relationshipCharacters.merge(other.relationshipCharacters)
        situationCharacters.merge(other.situationCharacters)
        topicCharacters.merge(other.topicCharacters)
        persona1Messages += other.persona1Messages
        persona2Messages += other.persona2Messages
        otherSenderMessages += other.otherSenderMessages
        persona1FirstChats += other.persona1FirstChats
        persona2FirstChats += other.persona2FirstChats
        singleSpeakerChats += other.singleSpeakerChats
        flatChats += other.flatChats
        roles.merge(other.roles)
        blankMessages += other.blankMessages
        for k in tags.indices {
            tags[k].occurrences += other.tags[k].occurrences
            tags[k].messages += other.tags[k].messages
            tags[k].chats += other.tags[k].chats
        }
        endInLastPartChats += other.endInLastPartChats
        endAtEndChats += other.endAtEndChats
        flushPersonas()
        countedPersonas.merge(other.personas)
        flushModel()
        countedModels.merge(other.models)
    }

    /// Messages over all chats.
    /// The exact integer sum; a merged document's floating sum is clamped rather than trapping.
    public var totalMessages: Int {
        if messagesPerChat.integral { return messagesPerChat.integerSum }
        let sum = messagesPerChat.sum
        return sum.isFinite ? Int(Swift.min(Swift.max(sum, 0), 9.0e18)) : 0
    }
}
