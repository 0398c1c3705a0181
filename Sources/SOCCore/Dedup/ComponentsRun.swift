/// `soc-dedup --groups components`: the one-machine run of the components definition
/// (`ComponentGrouping`). A record's fate can depend on later records (one can join two earlier
/// components), so the inputs are read twice: pass 1 fingerprints every record (quietly, writing
/// nothing), the components are computed, and pass 2 is `apply` over the same inputs with the
/// resulting removals: outputs, rejects, diagnostics and the report come from pass 2 alone.
/// Inputs must be files (stdin cannot be read twice); pass 2 checks that it reads the very
/// records pass 1 fingerprinted (count and digest, as `apply` does).
public struct ComponentsRun {
    public var settings: DedupSettings
    public var window: Int
    public var maxRecords: Int
    public var clustersPath: String?

    public init(settings: DedupSettings, window: Int, maxRecords: Int, clustersPath: String?) {
        self.settings = settings
        self.window = window
        self.maxRecords = maxRecords
        self.clustersPath = clustersPath
    }

    /// Runs both passes with the command's configuration (its outputs are pass 2's).
    public func run(_ configuration: RunConfiguration) throws {
        guard !configuration.inputs.contains(where: \.isStandardInput) else {
            throw RunFailure(
                .usage, "--groups components reads its inputs twice: give files, not stdin (or use sign/cluster/apply)")
        }
        var first = RunConfiguration(tool: configuration.tool, inputs: configuration.inputs)
        first.output = nil
        first.writesRecords = false
        first.quiet = true
        first.threads = configuration.threads
        first.maxLineBytes = configuration.maxLineBytes
        first.maxDepth = configuration.maxDepth
        first.batchLimits = configuration.batchLimits
        let collect = ComponentCollectStage(
            settings: settings, window: window, maxRecords: maxRecords,
            keepsIDs: clustersPath != nil)
        try RecordRunner(configuration: first, stage: collect).run()

        let memberships = collect.records.memberships()
        var removals: [Int: DuplicateReason] = [:]
        for (index, membership) in memberships.enumerated() {
            if let membership { removals[index + 1] = membership.reason }
        }
        let second = ComponentApplyStage(
            apply: ApplyStage(removals: removals, expected: (collect.ordinal, collect.digest.value)),
            records: collect.records, memberships: memberships, clustersPath: clustersPath,
            extras: reportExtras(recordsWithoutText: collect.recordsWithoutText))
        try RecordRunner(configuration: configuration, stage: second).run()
    }

    private func reportExtras(recordsWithoutText: Int) -> [(String, JSONValue)] {
        [
            ("groups", .string(DedupGroups.components.rawValue)),
            ("bucket_window", .number(JSONNumber(window))),
        ] + DedupReport.parameterFields(settings: settings, parameters: settings.lshParameters) + [
            ("records_without_text", .number(JSONNumber(recordsWithoutText)))
        ]
    }
}

/// Pass 1: every record's fingerprint, in input order, into `ComponentRecords`.
final class ComponentCollectStage: RecordStage {
    private let fingerprints: FingerprintStage
    private let maxRecords: Int
    private(set) var records: ComponentRecords
    private(set) var ordinal = 0
    private(set) var digest = ShardDigest()
    private(set) var recordsWithoutText = 0

    init(settings: DedupSettings, window: Int, maxRecords: Int, keepsIDs: Bool) {
        fingerprints = FingerprintStage(settings: settings, wantsID: keepsIDs)
        self.maxRecords = maxRecords
        records = ComponentRecords(
            grouping: ComponentGrouping(
                threshold: settings.threshold, numPerm: settings.numPerm, parameters: settings.lshParameters,
                near: settings.near, window: window),
            keepsIDs: keepsIDs)
    }

    func makeWorker() -> RecordStage? { fingerprints.makeWorker() }

    func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict {
        fingerprints.process(document, at: location)
    }

    func confirm(_ claim: any OrderedClaim, at location: RecordLocation) throws -> Verdict {
        guard let claim = claim.exactly(FingerprintClaim.self) else { return .consume }
        guard ordinal < maxRecords else { throw DedupLimit.exceeded(maxRecords) }
        ordinal += 1
        digest.add(hash: claim.lineHash)
        if claim.withoutText { recordsWithoutText += 1 }
        records.add(
            SignatureEntry(
                shard: 0, ordinal: ordinal, file: location.file, line: location.line, id: claim.id,
                fingerprint: claim.fingerprint))
        return .consume
    }
}

/// Pass 2: `apply` with the components' removals, writing `--clusters` as records are removed.
final class ComponentApplyStage: RecordStage {
    private let apply: ApplyStage
    private let records: ComponentRecords
    private let memberships: [ComponentMembership?]
    private let clusters: SideOutput?
    private let extras: [(String, JSONValue)]
    private var ordinal = 0
    private var line: [UInt8] = []

    init(
        apply: ApplyStage, records: ComponentRecords, memberships: [ComponentMembership?], clustersPath: String?,
        extras: [(String, JSONValue)]
    ) {
        self.apply = apply
        self.records = records
        self.memberships = memberships
        clusters = clustersPath.map { SideOutput(path: $0, option: "--clusters") }
        self.extras = extras
    }

    var sideOutputs: [SideOutput] { clusters.map { [$0] } ?? [] }
    var reportExtras: [(String, JSONValue)] { extras }

    func makeWorker() -> RecordStage? { apply.makeWorker() }

    func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict {
        apply.process(document, at: location)
    }

    func confirm(_ claim: any OrderedClaim, at location: RecordLocation) throws -> Verdict {
        let verdict = try apply.confirm(claim, at: location)
        guard claim is FingerprintClaim else { return verdict }
        ordinal += 1
        if let clusters, ordinal <= memberships.count, let membership = memberships[ordinal - 1] {
            line.removeAll(keepingCapacity: true)
            records.appendClusterLine(ordinal - 1, membership, to: &line)
            try clusters.write(line)
        }
        return verdict
    }

    func finish() throws { try apply.finish() }
}
