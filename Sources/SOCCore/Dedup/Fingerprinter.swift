/// Computes a record's fingerprint (exact key hash, exact text hash, MinHash signature) and id.
/// One instance is reused for all records: its buffers are allocated once.
public final class Fingerprinter {
    public let settings: DedupSettings
    private let shingler: Shingler
    private let hasher: MinHasher
    // Touched by the one thread that owns this fingerprinter, once or more per record: no
    // runtime exclusivity checks (`sign(_:into: &signature)` made one per record, and reading
    // `recordsWithoutText` another, `swift_beginAccess` 2.3M instructions and 36K mispredicts
    // on the 100 MB bench file, with `FingerprintStage.batch`; soc-dedup's cost 748.0 -> 743.5
    // with `--threads 1` in callgrind, of which ~1.3 the checks', the rest layout).
    @exclusivity(unchecked) private var signature: [UInt64] = []
    @exclusivity(unchecked) private var keyBytes: [UInt8] = []

    private static let personaText = [try! RecordPath("background"), try! RecordPath("chatting_style")]
    private static let defaultIDs = [try! RecordPath("chat_id"), try! RecordPath("id")]

    /// Records whose text had no tokens (they can only be exact-key duplicates).
    @exclusivity(unchecked) public private(set) var recordsWithoutText = 0

    public init(settings: DedupSettings) {
        self.settings = settings
        shingler = Shingler(ngram: settings.ngram)
        hasher = MinHasher(numPerm: settings.numPerm)
    }

    /// The fingerprint of `document`.
    public func fingerprint(_ document: JSONDocument) -> RecordFingerprint {
        var result = RecordFingerprint()
        if !settings.keys.isEmpty { result.keyHash = keyHash(document) }
        guard settings.needsText else { return result }
        shingler.reset()
        if settings.text.isEmpty, RecordKind.detect(document, layout: settings.layout) == .soc {
            // The common case, without the path walker's closures. A SOC chat's messages are read
            // as `ChatView.of` finds each part's `messages` array, rather than by `forEachPart`
            // finding them again (its walk of each part's keys: 10.1M instructions on real20.jsonl,
            // with the messages, against ~5M so). A chat that is not a chat in its layout has no
            // text (it can only be an exact-key duplicate): the parts before the one that failed
            // are then forgotten.
            let view = ChatView.of(document, layout: settings.layout) { _, messages in
                appendMessages(document, messages)
            }
            switch view {
            case .success(let chat) where chat.layout != .soc:
                // The text of the conversation's messages: no system prompt, no roles or names.
                chat.forEachMessage { _, message, _ in
                    chat.forEachText(message) { text, _ in appendStrings(document, text) }
                }
            case .success: break
            case .failure: shingler.reset()
            }
        } else {
            for path in settings.text.isEmpty ? Self.personaText : settings.text {
                path.forEachMatch(in: document) { appendStrings(document, $0) }
            }
        }
        guard shingler.hasTokens else {
            recordsWithoutText += 1
            return result
        }
        if settings.exactText { result.textHash = shingler.normalizedTextHash() }
        // The signature also verifies exact-text matches, so it is computed even with --no-near.
        if hasher.sign(shingler, into: &signature) { result.signature = signature }
        return result
    }

    /// The record's id (`--id`, else `chat_id`, else `id`) as JSON bytes: the raw text when it
    /// holds no tab or line break, else re-serialized compactly; empty when there is none.
    public func id(_ document: JSONDocument) -> [UInt8] {
        var node: Int?
        if let path = settings.id {
            node = path.first(in: document)
        } else {
            for path in Self.defaultIDs where node == nil { node = path.first(in: document) }
        }
        guard let node else { return [] }
        let raw = document.raw(node)
        if !raw.contains(where: { $0 == 9 || $0 == 10 || $0 == 13 }) { return Array(raw) }
        return document.compactText(node)
    }

    /// Appends the strings of the `messages` array at tape index `array`. When its elements are
    /// all strings, they are given to the shingler as one text: the bytes from the first's
    /// content to the last's, the quotes, commas and blanks between them included. Those are
    /// separators, and a string's tokens end at its closing quote, so the tokens are the same
    /// as string by string; escapes are decoded throughout when any string has one (the others
    /// have no backslash). One call per part where there was one per message (the shingler
    /// skips `", "` between them): on the 100 MB bench file, 305K calls for 761K messages, and
    /// soc-dedup's cost (`--threads 1`, callgrind) 792.9 -> 781.2, with the tokenizer's call and
    /// loop exit per message (0.66M mispredicted) and this walk's branch on each message's
    /// escapes (0.23M) gone.
    @inline(__always)
    private func appendMessages(_ document: JSONDocument, _ array: Int) {
        let nodes = document.nodes
        let count = Int(nodes[array].count)
        // Leaves only: each element is one tape entry.
        if count > 0 && Int(nodes[array].next) == array &+ 1 &+ count {
            // Non-zero when an element is not a string; the elements' flags.
            var others: UInt8 = 0
            var flags: UInt8 = 0
            if count <= 4 && array &+ 4 < nodes.count {
                // The four entries after the array's read whatever its count (those past it
                // masked): a loop over the elements left once a part, at a count from 1 to 4
                // (a quarter each on the 100 MB bench file), and its exit was mispredicted
                // 258K times in 305K parts (`fingerprint`'s own cost 23.7 -> 20.3 there).
                for k in 1...4 {
                    let entry = nodes[array &+ k]
                    let inArray = UInt8(truncatingIfNeeded: ~((count &- k) &>> 63))
                    others |= (entry.kind.rawValue ^ JSONKind.string.rawValue) & inArray
                    flags |= entry.flags & inArray
                }
            } else {
                for k in 1...count {
                    let entry = nodes[array &+ k]
                    others |= entry.kind.rawValue ^ JSONKind.string.rawValue
                    flags |= entry.flags
                }
            }
            if others == 0 {
                let first = nodes[array &+ 1]
                let last = nodes[array &+ count]
                let start = Int(first.start) &+ 1
                let content = UnsafeRawBufferPointer(
                    start: document.bytes.baseAddress! + start, count: Int(last.end) &- 1 &- start)
                let readable = document.bytes.count &- start
                if flags & JSONNode.hasEscapes != 0 {
                    shingler.appendEscaped(content, readable: readable)
                } else {
                    shingler.append(content, readable: readable)
                }
                return
            }
        }
        var message = array &+ 1
        for _ in 0..<count {
            appendStrings(document, message)
            message = Int(nodes[message].next)
        }
    }

    /// Appends every string inside the value at `node` (itself, or its descendants in order),
    /// walking the tape without recursion (values may nest as deep as `--max-depth`).
    private func appendStrings(_ document: JSONDocument, _ node: Int) {
        let entry = document.nodes[node]
        if entry.kind == .string {
            appendString(document, entry)
            return
        }
        document.forEachString(in: node) { appendString(document, document.nodes[$0]) }
    }

    /// Appends the string of tape entry `entry` as `withStringBytes` gives it (a lone surrogate
    /// is U+FFFD), the escapes decoded by the shingler as it reads them. The entry is read once
    /// for its kind, flags and span (`stringContent(of:)`), once per message: 3.6M fewer
    /// instructions on real20.jsonl (fingerprints 242.7M -> 239.1M).
    @inline(__always)
    private func appendString(_ document: JSONDocument, _ entry: JSONNode) {
        let content = document.stringContent(of: entry)
        // The rest of the line may be read too (the tokenizer's blocks then stay whole).
        let readable = document.bytes.count &- (Int(entry.start) &+ 1)
        if entry.flags & JSONNode.hasEscapes != 0 {
            shingler.appendEscaped(content, readable: readable)
        } else {
            shingler.append(content, readable: readable)
        }
    }

    /// XXH3-128 over each key value (kind, length, bytes: unescaped for strings, raw JSON
    /// otherwise); nil when any key path reaches nothing.
    private func keyHash(_ document: JSONDocument) -> Key128? {
        keyBytes.removeAll(keepingCapacity: true)
        for path in settings.keys {
            var found = false
            path.forEachMatch(in: document) { node in
                found = true
                keyBytes.append(UInt8(truncatingIfNeeded: document.kind(node).hashValueTag))
                if document.kind(node) == .string {
                    // Lone surrogates kept: "\ud800", "\udc00" and "\ufffd" are different keys.
                    document.withExactStringBytes(node) { append($0) }
                } else {
                    append(document.raw(node))
                }
            }
            if !found { return nil }
            keyBytes.append(0xFF)
        }
        return keyBytes.withUnsafeBytes { XXH3.hash128($0) }
    }

    private func append(_ bytes: UnsafeRawBufferPointer) {
        var length = UInt32(truncatingIfNeeded: bytes.count)
        withUnsafeBytes(of: &length) { keyBytes.append(contentsOf: $0) }
        keyBytes.append(contentsOf: bytes)
    }
}

extension JSONKind {
    /// A stable byte per kind for key hashing.
    var hashValueTag: Int {
        switch self {
        case .null: return 1
        case .true: return 2
        case .false: return 3
        case .number: return 4
        case .string: return 5
        case .array: return 6
        case .object: return 7
        }
    }
}
