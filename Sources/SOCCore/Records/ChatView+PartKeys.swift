/// Which of a SOC part's two keys, `sender` and `messages`, a key is: `ChatView.forEachPart`'s
/// test of each member key of each part.
///
/// Hand-written hot path: `equalsShort("sender")` then `equalsShort("messages")` branched on
/// the key's length first, and a part's keys alternate between 6 and 8 bytes: that branch was
/// mispredicted ~305,000 times a run (soc-validate --threads 1 --rejects /dev/null on the 100 MB
/// realistic file, callgrind). Here the key's first eight bytes and its length are compared
/// with both names by arithmetic, so the answers are values, not branches.
enum PartKeys {
    /// "sender" as the low six bytes of a little-endian word.
    static let senderWord: UInt64 = 0x7265_646E_6573
    /// "messages" as a little-endian word.
    static let messagesWord: UInt64 = 0x7365_6761_7373_656D

    /// Whether the key whose content (raw bytes between its quotes) is `name` reads `sender`,
    /// and whether it reads `messages`, byte for byte as `equalsShort` compares them.
    ///
    /// `name` must lie in a parsed line with its closing quote after it: a key of four bytes
    /// or more is followed by that quote, a `:`, a value and its object's `}`, so eight bytes
    /// from its start stay inside the line. Shorter keys are neither (no load).
    @inline(__always)
    static func match(_ name: UnsafeRawBufferPointer) -> (sender: Bool, messages: Bool) {
        let count = name.count
        guard count >= 4, let start = name.baseAddress else { return (false, false) }
        let word = start.loadUnaligned(as: UInt64.self)
        let senderDiffers = (word & 0xFFFF_FFFF_FFFF) ^ senderWord | UInt64(truncatingIfNeeded: count ^ 6)
        let messagesDiffers = word ^ messagesWord | UInt64(truncatingIfNeeded: count ^ 8)
        return (senderDiffers == 0, messagesDiffers == 0)
    }

    /// The values of the `sender` and `messages` keys of the part object at `part`, which has
    /// exactly two members (tape indices, -1: none; the second of two equal keys counts, as
    /// `member` and Python read them), and whether either key is written with escapes (then
    /// its bytes were matched as they are: the caller looks them up unescaped).
    ///
    /// Hand-written hot path, shared by `forEachPart` and `ChatView.of`: both keys are tested
    /// without a loop. A walk over the members (`member`, `memberKeys`) ended with a loop exit
    /// that was mispredicted about once a part (~360,000 times a run of soc-validate, 0.35M
    /// times in soc-scrub's `ChatView.of`, on the 100 MB realistic file, callgrind, --threads 1).
    @inline(__always)
    static func twoMembers(_ document: JSONDocument, part: Int) -> (sender: Int, messages: Int, escapedKeys: Bool) {
        let nodes = document.nodes
        let first = part + 1
        let second = Int(nodes[first + 1].next)
        let escapedKeys = (nodes[first].flags | nodes[second].flags) & JSONNode.hasEscapes != 0
        let a = match(document.stringContent(first))
        let b = match(document.stringContent(second))
        return (
            b.sender ? second + 1 : a.sender ? first + 1 : -1,
            b.messages ? second + 1 : a.messages ? first + 1 : -1,
            escapedKeys
        )
    }
}
