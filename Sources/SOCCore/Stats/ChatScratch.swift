import CSystem

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
        // Unescaped text is never longer than escaped; 16 bytes more for the last block's store.
        let room = content.count + 16
        if buffer.count < room { buffer = [UInt8](repeating: 0, count: Swift.max(room, 2 * buffer.count, 256)) }
        buffer.withUnsafeMutableBytes { out in
            let count = unescape(content, into: out.baseAddress!)
            body(UnsafeRawBufferPointer(rebasing: out[..<count]))
        }
    }

    /// Writes the unescaped text of `content` (a string's escaped bytes, validated by the parser)
    /// to `out`, which has room for `content.count + 16` bytes, and returns its length: the bytes
    /// of `JSONString.unescape(content)`, a lone surrogate being U+FFFD.
    ///
    /// Hand-written hot path: sixteen bytes are copied at a time, stopping at a backslash found
    /// by a vector compare (CSystem's `pmovmskb`), where `JSONString.unescape` (a memchr per
    /// escape and growing an array) cost ~1,000 instructions and 20 mispredicted branches a
    /// message with tags.
    static func unescape(_ content: UnsafeRawBufferPointer, into out: UnsafeMutableRawPointer) -> Int {
        guard let base = content.baseAddress else { return 0 }
        let n = content.count
        var i = 0
        var j = 0
        while i < n {
            if i &+ 16 <= n {
                let v = base.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                out.storeBytes(of: v, toByteOffset: j, as: SIMD16<UInt8>.self)
                let bits = soc_high_bits16(unsafeBitCast(v .== SIMD16<UInt8>(repeating: 0x5C), to: SIMD16<UInt8>.self))
                if bits == 0 {
                    i &+= 16
                    j &+= 16
                    continue
                }
                let k = Int(bits.trailingZeroBitCount)
                i &+= k
                j &+= k
            } else {
                let byte = base.load(fromByteOffset: i, as: UInt8.self)
                if byte != UInt8(ascii: "\\") {
                    out.storeBytes(of: byte, toByteOffset: j, as: UInt8.self)
                    i &+= 1
                    j &+= 1
                    continue
                }
            }
            let (scalar, end) = TextMeasure.decodeEscape(content, at: i)
            j &+= writeUTF8(scalar, to: out + j)
            i = end
        }
        return j
    }

    /// Writes `scalar` (not a surrogate) as UTF-8 at `out`; returns its length.
    @inline(__always)
    private static func writeUTF8(_ scalar: UInt32, to out: UnsafeMutableRawPointer) -> Int {
        switch scalar {
        case ..<0x80:
            out.storeBytes(of: UInt8(scalar), as: UInt8.self)
            return 1
        case ..<0x800:
            out.storeBytes(of: UInt8(0xC0 | scalar >> 6), as: UInt8.self)
            out.storeBytes(of: UInt8(0x80 | scalar & 0x3F), toByteOffset: 1, as: UInt8.self)
            return 2
        case ..<0x10000:
            out.storeBytes(of: UInt8(0xE0 | scalar >> 12), as: UInt8.self)
            out.storeBytes(of: UInt8(0x80 | scalar >> 6 & 0x3F), toByteOffset: 1, as: UInt8.self)
            out.storeBytes(of: UInt8(0x80 | scalar & 0x3F), toByteOffset: 2, as: UInt8.self)
            return 3
        default:
            out.storeBytes(of: UInt8(0xF0 | scalar >> 18), as: UInt8.self)
            out.storeBytes(of: UInt8(0x80 | scalar >> 12 & 0x3F), toByteOffset: 1, as: UInt8.self)
            out.storeBytes(of: UInt8(0x80 | scalar >> 6 & 0x3F), toByteOffset: 2, as: UInt8.self)
            out.storeBytes(of: UInt8(0x80 | scalar & 0x3F), toByteOffset: 3, as: UInt8.self)
            return 4
        }
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
