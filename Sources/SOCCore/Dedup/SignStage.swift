/// `soc-dedup sign`: writes one signature line per record of a shard (see `SignatureFile`);
/// writes no records. Fingerprints are computed on worker threads; ordinals, the digest and the
/// lines are made in input order in `confirm`.
public final class SignStage: RecordStage {
    public let shard: Int
    private let fingerprints: FingerprintStage
    private let settings: DedupSettings
    private let output: SideOutput
    private var ordinal = 0
    private var digest = ShardDigest()
    private var line: [UInt8] = []
    /// `--bands`: write a band file (`BandFile`) instead of a signature file.
    private let bands: Bool
    /// The LSH bands and rows of a band file, found once: the search over every `bands × rows`
    /// costs about 21M instructions (7 ms), which `confirm` used to spend on every record.
    private let parameters: LSHParameters?

    /// `output`: where the signature file goes (`-` for stdout); `bands`: write a band file.
    public init(shard: Int, settings: DedupSettings, output: String, bands: Bool = false) {
        self.shard = shard
        self.bands = bands
        self.settings = settings
        parameters = bands ? settings.lshParameters : nil
        fingerprints = FingerprintStage(settings: settings, wantsID: true)
        self.output = SideOutput(path: output, option: "-o")
    }

    public var sideOutputs: [SideOutput] { [output] }

    public func makeWorker() -> RecordStage? { fingerprints.makeWorker() }

    public func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict {
        fingerprints.process(document, at: location)
    }

    public func confirm(_ claim: any OrderedClaim, at location: RecordLocation) throws -> Verdict {
        guard let claim = claim.exactly(FingerprintClaim.self) else { return .consume }
        if ordinal == 0 { try output.write(header + "\n") }
        ordinal += 1
        digest.add(hash: claim.lineHash)
        let entry = SignatureEntry(
            shard: shard, ordinal: ordinal, file: location.file, line: location.line,
            id: claim.id, fingerprint: claim.fingerprint)
        line.removeAll(keepingCapacity: true)
        if let parameters {
            BandFile.appendRecord(entry, parameters: parameters, to: &line)
        } else {
            SignatureFile.appendRecord(entry, to: &line)
        }
        line.append(10)
        try output.write(line)
        return .consume
    }

    private var header: String {
        bands
            ? BandFile.header(shard: shard, settings: settings) : SignatureFile.header(shard: shard, settings: settings)
    }

    public func finish() throws {
        if ordinal == 0 { try output.write(header + "\n") }
        try output.write(SignatureFile.trailerLine(records: ordinal, digest: digest.value) + "\n")
    }
}
