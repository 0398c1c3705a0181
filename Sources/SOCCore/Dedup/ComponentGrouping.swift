/// `--groups components`: duplicates are the connected components of a graph of verified pairs,
/// and the earliest record of each component survives. This is the definition a distributed run
/// can reproduce (BigCode's and datatrove's MinHash jobs use it); the greedy default ("compared
/// with the kept records only") needs the records in order on one machine. `soc_components.py`
/// computes the same graph in Spark; the two must agree record for record, so every rule here is
/// spelled out in docs/dedup.md ("Components").
///
/// Records are numbered in input order. Edges, each with an optional weight:
/// - key: a record with a `--key` → the earliest record with the same key (weight: their
///   estimated similarity when both have text, else none);
/// - identity: a record with a signature → the earliest record of its identity group (weight 1).
///   The group is the signature (`SignatureDigest`), and with `--no-near` the signature and the
///   text hash (so that only exact text joins);
/// - near (unless `--no-near`): the earliest record of each identity group is a representative;
///   for every band, the representatives with the same band hash form a bucket in input order,
///   and each is verified against the at most `window` representatives just before it in the
///   bucket: an edge when the estimate (16-bit values, as in the greedy index) is ≥ threshold,
///   weighted by it. So a bucket of 1,000 identical texts costs no comparison (one
///   representative), and one of 1,000 different similar texts at most 1,000 × `window`.
///
/// A removed record's reason is `exact_key` when it shares its key with another record,
/// `exact_text` when it shares its signature and text hash with another record, and
/// `near_duplicate` otherwise; its similarity is the largest weight among its edges.
public struct ComponentGrouping {
    public let threshold: Double
    public let numPerm: Int
    public let parameters: LSHParameters
    public let near: Bool
    /// How many earlier representatives of a bucket each one is verified against.
    public let window: Int

    private var parent: [Int32] = []
    private var best: [Double] = []
    private var keyShared: [Bool] = []
    private var textShared: [Bool] = []
    private var firstOfKey: [Key128: Int32] = [:]
    private var firstOfIdentity: [IdentityKey: Int32] = [:]
    private var firstOfText: [IdentityKey: Int32] = [:]
    private var buckets: [[UInt32: [Int32]]]
    private let compact: CompactSignatures

    /// The records without a signature have no row in `compact`.
    private var row: [Int32] = []

    struct IdentityKey: Hashable {
        var signature: UInt64
        var text: UInt64
    }

    /// The default `--bucket-window`.
    public static let defaultWindow = 32

    public init(threshold: Double, numPerm: Int, parameters: LSHParameters, near: Bool, window: Int) {
        precondition(window >= 1)
        self.threshold = threshold
        self.numPerm = numPerm
        self.parameters = parameters
        self.near = near
        self.window = window
        buckets = [[UInt32: [Int32]]](repeating: [:], count: near ? parameters.bands : 0)
        compact = CompactSignatures(numPerm: numPerm)
    }

    /// Number of records added.
    public var count: Int { parent.count }

    /// Adds the next record (in input order) and its edges to earlier records.
    public mutating func add(_ record: RecordFingerprint) {
        let index = Int32(parent.count)
        parent.append(index)
        best.append(-1)
        keyShared.append(false)
        textShared.append(false)
        let hasSignature = !record.signature.isEmpty
        if hasSignature {
            row.append(Int32(compact.count))
            compact.append(record.signature)
        } else {
            row.append(-1)
        }
        if let key = record.keyHash {
            if let first = firstOfKey[key] {
                keyShared[Int(first)] = true
                keyShared[Int(index)] = true
                link(index, first, weight: similarity(index, first))
            } else {
                firstOfKey[key] = index
            }
        }
        guard hasSignature else { return }
        let digest = SignatureDigest.of(record.signature)
        if let text = record.textHash {
            let key = IdentityKey(signature: digest, text: text)
            if let first = firstOfText[key] {
                textShared[Int(first)] = true
                textShared[Int(index)] = true
            } else {
                firstOfText[key] = index
            }
        }
        guard near || record.textHash != nil else { return }
        let identity = IdentityKey(signature: digest, text: near ? 0 : record.textHash!)
        if let first = firstOfIdentity[identity] {
            link(index, first, weight: 1)
            return
        }
        firstOfIdentity[identity] = index
        guard near else { return }
        for band in 0..<parameters.bands {
            let hash = LSHIndex.bandHash(record.signature, band: band, rows: parameters.rows)
            var members = buckets[band].removeValue(forKey: hash) ?? []
            for other in members.suffix(window) {
                let estimate = similarity(index, other)!
                if estimate >= threshold { link(index, other, weight: estimate) }
            }
            members.append(index)
            buckets[band][hash] = members
        }
    }

    /// Each record's fate: nil for a survivor (the earliest of its component), else who survives
    /// its component, why it is removed and its best similarity.
    public func memberships() -> [ComponentMembership?] {
        var parent = parent
        var survivorOfRoot = [Int32](repeating: -1, count: parent.count)
        var result = [ComponentMembership?](repeating: nil, count: parent.count)
        for index in 0..<parent.count {
            let root = Int(Self.find(Int32(index), &parent))
            if survivorOfRoot[root] < 0 {
                survivorOfRoot[root] = Int32(index)
                continue
            }
            let reason: DuplicateReason =
                keyShared[index] ? .exactKey : textShared[index] ? .exactText : .nearDuplicate
            result[index] = ComponentMembership(
                survivor: Int(survivorOfRoot[root]), reason: reason, similarity: best[index] >= 0 ? best[index] : nil)
        }
        return result
    }

    private mutating func link(_ a: Int32, _ b: Int32, weight: Double?) {
        if let weight {
            best[Int(a)] = max(best[Int(a)], weight)
            best[Int(b)] = max(best[Int(b)], weight)
        }
        let rootA = Self.find(a, &parent)
        let rootB = Self.find(b, &parent)
        if rootA != rootB { parent[Int(max(rootA, rootB))] = min(rootA, rootB) }
    }

    private static func find(_ start: Int32, _ parent: inout [Int32]) -> Int32 {
        var node = start
        while parent[Int(node)] != node {
            parent[Int(node)] = parent[Int(parent[Int(node)])]  // path halving
            node = parent[Int(node)]
        }
        return node
    }

    /// The estimated similarity of two records (nil when either has no signature).
    private func similarity(_ a: Int32, _ b: Int32) -> Double? {
        let rowA = row[Int(a)]
        let rowB = row[Int(b)]
        guard rowA >= 0, rowB >= 0 else { return nil }
        return LSHIndex.estimate(matches: compact.agreements(Int(rowA), Int(rowB)), of: numPerm)
    }
}

/// A removed record of a component: who survives it, why it is removed, its best similarity.
public struct ComponentMembership: Equatable, Sendable {
    public var survivor: Int
    public var reason: DuplicateReason
    public var similarity: Double?
}

/// The identity of a whole signature: XXH3-64 over its values (little-endian), written by
/// `sign --bands` so that a distributed run groups identical signatures as this one does.
public enum SignatureDigest {
    public static func of(_ signature: [UInt64]) -> UInt64 {
        signature.map { $0.littleEndian }.withUnsafeBytes { XXH3.hash64($0) }
    }
}
