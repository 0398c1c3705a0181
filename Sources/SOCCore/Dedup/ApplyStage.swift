/// `soc-dedup apply`: removes the records of one shard that a removal list names. Line hashes
/// are computed on worker threads; ordinals and the digest are counted in input order.
public final class ApplyStage: RecordStage {
    private let removals: [Int: DuplicateReason]
    private let expected: (records: Int, digest: UInt64)?
    private let hashes = FingerprintStage(settings: DedupSettings(), wantsID: false, fingerprints: false)
    private var ordinal = 0
    private var digest = ShardDigest()

    /// `removals`: ordinal → reason, for this shard only; `expected`: the record count and
    /// digest `sign` saw in this shard (from the list), checked at the end.
    public init(removals: [Int: DuplicateReason], expected: (records: Int, digest: UInt64)? = nil) {
        self.removals = removals
        self.expected = expected
    }

    /// A shard whose record count differs from what was signed was changed (or is another
    /// shard): its ordinals would name the wrong records.
    public func finish() throws {
        guard let expected else { return }
        if expected.records != ordinal || expected.digest != digest.value {
            throw SignatureFileError(
                "this shard's \(ordinal) records differ from the \(expected.records) that were signed: the input is not the one that was signed (its removals would hit the wrong records)"
            )
        }
    }

    public func makeWorker() -> RecordStage? { hashes.makeWorker() }

    public func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict {
        hashes.process(document, at: location)
    }

    public func confirm(_ claim: any OrderedClaim, at location: RecordLocation) throws -> Verdict {
        guard let claim = claim.exactly(FingerprintClaim.self) else { return .keep }
        ordinal += 1
        digest.add(hash: claim.lineHash)
        guard let reason = removals[ordinal] else { return .keep }
        return .remove(Diagnosis(code: reason.code, message: "\(reason.rawValue) (from the removal list)"))
    }
}
