/// Keys of non-ASCII candidates (text before a label's colon) checked before: folding and
/// normalizing them builds strings, and the same words come back in many chats. Direct-mapped
/// by the candidate's `ShortPrint`, candidates and keys kept in one buffer of fixed slots (no
/// array per slot), bounded like `PersonaValueCache`. Asked before the candidate is measured
/// against the record's keys (`PersonaMatcher.asciiEndsMayMatch`): a key found answers at once.
/// Measured with callgrind (bench/data/soc_realistic.jsonl, --threads 1): slots of arrays found
/// by an XXH3 hash, their key copied out, cost ~600 instructions a candidate found.
final class CandidateKeyCache {
    private static let slotCount = 4096
    /// Candidates and keys longer than this are not kept (they are folded each time).
    private static let slotBytes = 56
    /// Each slot's candidate print (`ShortPrint.none`: empty) and key length.
    private let prints = UnsafeMutablePointer<ShortPrint>.allocate(capacity: slotCount)
    private let keyCounts = UnsafeMutablePointer<Int>.allocate(capacity: slotCount)
    /// Each slot's candidate bytes, then its key's (`slotBytes` each).
    private let bytes = UnsafeMutableRawPointer.allocate(byteCount: slotCount * 2 * slotBytes, alignment: 8)

    init() {
        prints.initialize(repeating: .none, count: Self.slotCount)
        keyCounts.initialize(repeating: 0, count: Self.slotCount)
    }

    deinit {
        prints.deallocate()
        keyCounts.deallocate()
        bytes.deallocate()
    }

    /// The kept key of `candidate`, whose print is `print`; nil when it is not kept. Valid until
    /// the next `insert`.
    func key(_ candidate: UnsafeRawBufferPointer, _ print: ShortPrint) -> UnsafeRawBufferPointer? {
        let slot = Int(truncatingIfNeeded: print.hash) & (Self.slotCount - 1)
        guard prints[slot].difference(print) == 0 else { return nil }
        let base = bytes + slot * 2 * Self.slotBytes
        // Equal prints of more than `exactCount` bytes may differ in the middle.
        if candidate.count > ShortPrint.exactCount
            && !UnsafeRawBufferPointer(start: base, count: candidate.count).elementsEqualBytes(candidate)
        {
            return nil
        }
        return UnsafeRawBufferPointer(start: base + Self.slotBytes, count: keyCounts[slot])
    }

    /// Keeps `key` as the key of `candidate` (print `print`), over what its slot held.
    func insert(_ candidate: UnsafeRawBufferPointer, _ print: ShortPrint, key: UnsafeRawBufferPointer) {
        guard candidate.count <= Self.slotBytes, key.count <= Self.slotBytes else { return }
        let slot = Int(truncatingIfNeeded: print.hash) & (Self.slotCount - 1)
        let base = bytes + slot * 2 * Self.slotBytes
        if let source = candidate.baseAddress { base.copyMemory(from: source, byteCount: candidate.count) }
        if let source = key.baseAddress { (base + Self.slotBytes).copyMemory(from: source, byteCount: key.count) }
        prints[slot] = print
        keyCounts[slot] = key.count
    }
}
