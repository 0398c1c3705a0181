/// The records of a `--groups components` run, gathered before any decision (a later record can
/// join two earlier components), with what the removal list and `--clusters` name: shard,
/// ordinal, file, line and id.
public struct ComponentRecords {
    private var grouping: ComponentGrouping
    private var places: KeptRecords
    private var shards: [Int32] = []
    private var ordinals: [Int64] = []

    public init(grouping: ComponentGrouping, keepsIDs: Bool) {
        self.grouping = grouping
        places = KeptRecords(keepsIDs: keepsIDs)
    }

    public var count: Int { grouping.count }

    public mutating func add(_ entry: SignatureEntry) {
        grouping.add(entry.fingerprint)
        places.append(file: entry.file, line: entry.line, id: entry.id)
        shards.append(Int32(truncatingIfNeeded: entry.shard))
        ordinals.append(Int64(entry.ordinal))
    }

    /// Each record's fate, in input order (nil: it survives).
    public func memberships() -> [ComponentMembership?] { grouping.memberships() }

    /// Writes a removal line (and a `--clusters` line) for every removed record, in input order,
    /// and counts every record as written or removed.
    public func writeRemovals(to output: OutputSink, clusters: OutputSink?, tally: inout Tally) throws {
        var buffer: [UInt8] = []
        for (index, membership) in memberships().enumerated() {
            guard let membership else {
                tally.countWritten(modified: false)
                continue
            }
            let kept = membership.survivor
            tally.countRemoved(membership.reason.code)
            buffer.removeAll(keepingCapacity: true)
            RemovalList.appendLine(
                shard: Int(shards[index]), ordinal: Int(ordinals[index]), reason: membership.reason,
                keptShard: Int(shards[kept]), keptOrdinal: Int(ordinals[kept]), similarity: membership.similarity,
                to: &buffer)
            try output.write(buffer)
            if let clusters {
                buffer.removeAll(keepingCapacity: true)
                appendClusterLine(index, membership, to: &buffer)
                try clusters.write(buffer)
            }
        }
    }

    /// The `--clusters` line of removed record `index`.
    public func appendClusterLine(_ index: Int, _ membership: ComponentMembership, to out: inout [UInt8]) {
        let kept = membership.survivor
        ClusterLog.appendLine(
            line: places.line(index), id: places.id(index), reason: membership.reason, keptLine: places.line(kept),
            keptID: places.id(kept), similarity: membership.similarity, file: places.file(index),
            keptFile: places.file(kept), to: &out)
    }
}
