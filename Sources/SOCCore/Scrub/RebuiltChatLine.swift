/// A changed chat's whole new line when some part is left without messages (`ChatRebuild`'s
/// general path): the chat's kept parts in order, each with the parts merged into it, written
/// by one `Array.append(contentsOf:)` straight into the line output's free capacity, as
/// `SplicedChatLine` writes the common case (the caller reserves `room` bytes first).
///
/// Each kept part's bytes up to its `messages` array, the array (as written with its changed
/// strings replaced, or rebuilt from its elements and those of the parts merged into it), the
/// rest of the part. The changes are read in document order by index, with no table per part
/// (the tables cost about 50k instructions per such chat; callgrind, real20.jsonl, --threads 1).
/// Appended run by run, these lines cost about 27k instructions each (1,030 chats of
/// bench/data/soc_realistic.jsonl; callgrind, --threads 1).
struct RebuiltChatLine: Sequence {
    /// The chat's changes, as they are written.
    let writer: ChangeWriter
    /// Each part's object and its `messages` array (tape indices).
    let parts: [(part: Int, messages: Int)]
    /// The kept parts in order, each with the parts merged into it.
    let groups: [(keep: Int, merged: [Int])]
    /// The changes of part `p` are `changes[first[p]..<first[p + 1]]`.
    let first: [Int]
    /// The tape index of the `chat_parts` array.
    let chatParts: Int
    /// At most this many bytes are written: the record's own bytes (each written at most once),
    /// the room of each change's strings (`MessageChange.room`), a separator per kept part and
    /// one per element of each rewritten array, and its brackets.
    let room: Int

    init(
        writer: ChangeWriter, parts: [(part: Int, messages: Int)], groups: [(keep: Int, merged: [Int])],
        chatParts: Int
    ) {
        let document = writer.document
        let changes = writer.changes
        var first = [Int](repeating: 0, count: parts.count + 1)
        var c = 0
        for p in 0...parts.count {
            while c < changes.count && changes[c].part < p { c += 1 }
            first[p] = c
        }
        var room = document.bytes.count
        for c in changes.indices { room += changes[c].room }
        room += groups.count * JSONSplice.separator(in: document, array: chatParts).count
        for group in groups where Self.rewrites(group, changes, first) {
            var elements = 0
            for p in [group.keep] + group.merged {
                elements += document.count(parts[p].messages)
                for c in first[p]..<first[p + 1] { elements += changes[c].pieceCount }
            }
            room += elements * JSONSplice.separator(in: document, array: parts[group.keep].messages).count + 2
        }
        self.writer = writer
        self.parts = parts
        self.groups = groups
        self.first = first
        self.chatParts = chatParts
        self.room = room
    }

    /// Whether the `messages` array of `group`'s kept part is rebuilt (parts merged into it,
    /// or strings split or dropped), not written with its changed strings replaced.
    private static func rewrites(
        _ group: (keep: Int, merged: [Int]), _ changes: UnsafeBufferPointer<MessageChange>, _ first: [Int]
    ) -> Bool {
        !group.merged.isEmpty || !(first[group.keep]..<first[group.keep + 1]).allSatisfy { changes[$0].pieceCount == 1 }
    }

    // Nothing is left over for the iterator: `_copyContents` writes it all.
    func makeIterator() -> EmptyCollection<UInt8>.Iterator { EmptyCollection().makeIterator() }

    var underestimatedCount: Int { 0 }

    func _copyContents(initializing buffer: UnsafeMutableBufferPointer<UInt8>)
        -> (EmptyCollection<UInt8>.Iterator, Int)
    {
        precondition(buffer.count >= room, "RebuiltChatLine: room not reserved")
        var out = RawByteWriter(UnsafeMutableRawPointer(buffer.baseAddress!))
        write(to: &out)
        return (makeIterator(), out.count)
    }

    private func write(to out: inout RawByteWriter) {
        let document = writer.document
        let changes = writer.changes
        func copy(_ range: Range<Int>) {
            if !range.isEmpty { out.copy(UnsafeRawBufferPointer(rebasing: document.bytes[range])) }
        }
        let separator = JSONSplice.separator(in: document, array: chatParts)
        let chat = document.span(chatParts)
        copy(0..<chat.lowerBound)
        out.byte(UInt8(ascii: "["))
        for (k, group) in groups.enumerated() {
            if k > 0 { out.copy(separator) }
            let part = document.span(parts[group.keep].part)
            let messages = parts[group.keep].messages
            let array = document.span(messages)
            copy(part.lowerBound..<array.lowerBound)
            if !Self.rewrites(group, changes, first) {
                var position = array.lowerBound
                for c in first[group.keep]..<first[group.keep + 1] {
                    let span = document.span(changes[c].element)
                    copy(position..<span.lowerBound)
                    writer.piece(c, 0, to: &out)
                    position = span.upperBound
                }
                copy(position..<array.upperBound)
            } else {
                let elementSeparator = JSONSplice.separator(in: document, array: messages)
                out.byte(UInt8(ascii: "["))
                var written = 0
                for p in [group.keep] + group.merged {
                    writer.elements(
                        of: parts[p].messages, first[p]..<first[p + 1], separator: elementSeparator,
                        written: &written, to: &out)
                }
                out.byte(UInt8(ascii: "]"))
            }
            copy(array.upperBound..<part.upperBound)
        }
        out.byte(UInt8(ascii: "]"))
        copy(chat.upperBound..<document.bytes.count)
    }
}
