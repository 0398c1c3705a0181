/// A changed chat's whole new line when every part keeps a message (`ChatRebuild`'s common
/// case): the record's bytes with each changed string replaced in place, and each `messages`
/// array whose strings were split or dropped rewritten (unchanged elements copied as they are).
///
/// Written by one `Array.append(contentsOf:)` straight into the line output's free capacity
/// (`_copyContents`, as `JSONSplice.Literal` does for one string): the caller reserves `room`
/// bytes first. Hand-written hot path: `ChatRebuild` appended each run of the record between
/// changes, each piece and each separator on its own (about 300k `Array.append` calls on
/// bench/data/soc_realistic.jsonl, ~90 instructions each in uniqueness and capacity checks
/// besides the copy; callgrind, --threads 1).
struct SplicedChatLine: Sequence {
    /// The chat's changes, as they are written.
    let writer: ChangeWriter
    /// Each part's object and its `messages` array (tape indices).
    let parts: UnsafeBufferPointer<(part: Int, messages: Int)>
    /// Whether some message was split or dropped (else every change is spliced in place, and
    /// the changes are not grouped by part).
    let splits: Bool
    /// At most this many bytes are written: the record's own bytes (every byte written is one
    /// of them, once, but for the pieces and the separators between the elements of a
    /// rewritten array), the room of each change's strings (`ChangeWriter.room`), and a
    /// separator per element of each rewritten array.
    let room: Int

    /// The line for `changes`, or nil when they leave a part without messages (every element
    /// of its `messages` array a dropped string: `ChatRebuild`'s general path drops the part).
    init?(
        document: JSONDocument, changes: UnsafeBufferPointer<MessageChange>,
        parts: UnsafeBufferPointer<(part: Int, messages: Int)>, asciiOnly: Bool
    ) {
        var room = document.bytes.count
        var splits = false
        for c in changes.indices {
            room += changes[c].room
            if changes[c].pieceCount != 1 { splits = true }
        }
        // The parts whose arrays are rewritten: a separator per element, and none left empty.
        var next = 0
        while splits && next < changes.count {
            let p = changes[next].part
            var end = next
            var pieces = 0
            var emptied = 0
            var rewritten = false
            while end < changes.count && changes[end].part == p {
                let count = changes[end].pieceCount
                if count != 1 { rewritten = true }
                if count == 0 { emptied += 1 }
                pieces += count
                end += 1
            }
            if rewritten {
                let messages = parts[p].messages
                let elements = document.count(messages)
                if emptied == elements { return nil }
                let separator = JSONSplice.separator(in: document, array: messages)
                room += (elements - (end - next) + pieces) * separator.count + 2
            }
            next = end
        }
        writer = ChangeWriter(document: document, changes: changes, asciiOnly: asciiOnly)
        self.parts = parts
        self.splits = splits
        self.room = room
    }

    // Nothing is left over for the iterator: `_copyContents` writes it all.
    func makeIterator() -> EmptyCollection<UInt8>.Iterator { EmptyCollection().makeIterator() }

    var underestimatedCount: Int { 0 }

    func _copyContents(initializing buffer: UnsafeMutableBufferPointer<UInt8>)
        -> (EmptyCollection<UInt8>.Iterator, Int)
    {
        precondition(buffer.count >= room, "SplicedChatLine: room not reserved")
        var out = RawByteWriter(UnsafeMutableRawPointer(buffer.baseAddress!))
        write(to: &out)
        return (makeIterator(), out.count)
    }

    /// The bytes `ChatRebuild.appendElements` / `appendPiece` wrote, in one pass.
    private func write(to out: inout RawByteWriter) {
        let document = writer.document
        let changes = writer.changes
        let all = document.bytes
        // How far the record's bytes are copied: the line is written whole.
        var copied = 0
        func copy(upTo offset: Int) {
            if offset > copied { out.copy(UnsafeRawBufferPointer(rebasing: all[copied..<offset])) }
        }
        // Change `c` (one string) spliced in place.
        func splice(_ c: Int) {
            let span = document.span(changes[c].element)
            if let kept = changes[c].kept {
                // The string's quotes and the part kept are the record's own bytes: the
                // original bytes are copied up to the opening quote and go on from the kept
                // part, so a message whose part runs to its end (a label cut off) costs no
                // copy of its own.
                copy(upTo: span.lowerBound + 1)
                copied = kept.lowerBound
                if kept.upperBound < span.upperBound - 1 {
                    copy(upTo: kept.upperBound)
                    copied = span.upperBound - 1
                }
                return
            }
            copy(upTo: span.lowerBound)
            writer.piece(c, 0, to: &out)
            copied = span.upperBound
        }
        var next = splits ? 0 : changes.count
        if !splits { for c in changes.indices { splice(c) } }
        while next < changes.count {
            let p = changes[next].part
            var end = next
            var rewritten = false
            while end < changes.count && changes[end].part == p {
                if changes[end].pieceCount != 1 { rewritten = true }
                end += 1
            }
            if !rewritten {
                for c in next..<end { splice(c) }
                next = end
                continue
            }
            // The `messages` array rewritten: each element after the separator but the first
            // one written, a changed message as the strings it became.
            let messages = parts[p].messages
            let separator = JSONSplice.separator(in: document, array: messages)
            let span = document.span(messages)
            copy(upTo: span.lowerBound)
            out.byte(UInt8(ascii: "["))
            var written = 0
            writer.elements(of: messages, next..<end, separator: separator, written: &written, to: &out)
            out.byte(UInt8(ascii: "]"))
            copied = span.upperBound
            next = end
        }
        copy(upTo: all.count)
    }
}
