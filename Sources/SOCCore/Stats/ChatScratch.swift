/// Memory one stats worker reuses from chat to chat (one per `StatsStage`, used by one thread at
/// a time): the per-message and per-turn figures of the chat being counted, and the last model
/// name read. Allocating the figures per chat cost a malloc and free and wrote them to fresh
/// memory each time; reading the model name cost a new String per chat, though a dataset's chats
/// name a few models; and unescaping a text (to look for tags) cost a new array per text.
final class ChatScratch {
    /// Most figures kept between chats (4 MB); a chat needing more allocates its own.
    static let figureLimit = 1 << 19

    private var figures: UnsafeMutablePointer<Int>?
    private var capacity = 0

    /// The raw bytes (escape-free) of the last model name read, and that name.
    private var modelBytes: [UInt8] = []
    private var modelName = ""

    /// Memory for unescaping texts (`withStringBytes`), kept from chat to chat.
    var unescaped: [UInt8] = []

    deinit { figures?.deallocate() }

    /// Calls `body` with room for `count` figures (their values are left from earlier chats).
    func withFigures<R>(_ count: Int, _ body: (UnsafeMutablePointer<Int>) -> R) -> R {
        guard count <= Self.figureLimit else {
            let own = UnsafeMutablePointer<Int>.allocate(capacity: count)
            defer { own.deallocate() }
            return body(own)
        }
        if count > capacity {
            figures?.deallocate()
            capacity = Swift.max(count, 2 * capacity, 1024)
            capacity = Swift.min(capacity, Self.figureLimit)
            figures = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        }
        return body(figures!)
    }

    /// Calls `body` with the unescaped UTF-8 of the string at `index`, as
    /// `document.withStringBytes` does, unescaped (if it has escapes) into `buffer`, memory the
    /// caller keeps from text to text (`unescaped`, taken out for the chat: a class captured
    /// in the per-text closures cost a retain and release per text).
    static func withStringBytes(
        _ document: JSONDocument, _ index: Int, into buffer: inout [UInt8], _ body: (UnsafeRawBufferPointer) -> Void
    ) {
        let content = document.stringContent(index)
        guard document.hasEscapes(index) else { return body(content) }
        JSONString.unescape(content, into: &buffer) { _, _ in 0xFFFD }
        buffer.withUnsafeBytes(body)
    }

    /// The model name of the string at `index` (`document.string`), the last one again when its
    /// bytes are the same and hold no escape.
    func modelName(_ document: JSONDocument, _ index: Int) -> String? {
        guard document.kind(index) == .string else { return nil }
        guard !document.hasEscapes(index) else { return document.string(index) }
        let content = document.stringContent(index)
        if modelBytes.withUnsafeBytes({ content.elementsEqualBytes($0) }) { return modelName }
        modelBytes = Array(content)
        modelName = String(decoding: content, as: UTF8.self)
        return modelName
    }
}
