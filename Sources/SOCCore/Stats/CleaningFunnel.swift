/// The whole clean-up in one view: the `--report` files of the stages of a pipeline
/// (`soc-validate | soc-scrub | soc-dedup | soc-filter`), in the order given, from the lines read
/// through each stage's rejections and removals by reason to the lines written.
///
/// The stages must chain: what one stage wrote is what the next one read. A report of a run that
/// wrote no records (`--check`, `--dry-run`, soc-stats) cannot be a link and is refused.
public struct CleaningFunnel: Equatable, Sendable {
    /// One stage: its report's counts, rejections and removals split by reason code.
    public struct Stage: Equatable, Sendable {
        public var tool: String
        /// The report file it came from (as named on the command line).
        public var report: String
        public var read: Int
        public var written: Int
        public var rejected: Int
        public var removed: Int
        public var modified: Int
        /// Rejected lines by reason, sorted by code.
        public var rejectedReasons: [(code: String, count: Int)]
        /// Removed lines by reason, sorted by code.
        public var removedReasons: [(code: String, count: Int)]

        public static func == (a: Stage, b: Stage) -> Bool {
            a.tool == b.tool && a.report == b.report && a.read == b.read && a.written == b.written
                && a.rejected == b.rejected && a.removed == b.removed && a.modified == b.modified
                && a.rejectedReasons.elementsEqual(b.rejectedReasons) { $0 == $1 }
                && a.removedReasons.elementsEqual(b.removedReasons) { $0 == $1 }
        }
    }

    public var stages: [Stage]

    public init(stages: [Stage]) { self.stages = stages }

    /// Lines read by the first stage.
    public var read: Int { stages.first?.read ?? 0 }
    /// Lines written by the last stage.
    public var written: Int { stages.last?.written ?? 0 }

    /// Where one stage's written count is not the next one's read count, as sentences naming
    /// both reports; empty when the stages chain.
    public var breaks: [String] {
        var out: [String] = []
        for (k, pair) in zip(stages, stages.dropFirst()).enumerated() where pair.0.written != pair.1.read {
            out.append(
                "stage \(k + 2) (\(pair.1.tool), \(pair.1.report)) read \(pair.1.read) lines but stage \(k + 1) (\(pair.0.tool), \(pair.0.report)) wrote \(pair.0.written): these reports are not one pipeline in this order"
            )
        }
        return out
    }

    /// Reads the reports (`name` for messages, `bytes` the file) in pipeline order.
    public static func load(_ reports: [(name: String, bytes: [UInt8])]) throws(StatsFormatError) -> CleaningFunnel {
        var stages: [Stage] = []
        for (name, bytes) in reports {
            let json: JSONValue
            switch JSONValue.parse(bytes) {
            case .success(let value): json = value
            case .failure(let error): throw StatsFormatError("\(name): not JSON: \(error.message)")
            }
            do {
                stages.append(try stage(json, report: name))
            } catch {
                throw StatsFormatError("\(name): \(error.message)")
            }
        }
        return CleaningFunnel(stages: stages)
    }

    /// One `--report` object as a stage.
    static func stage(_ json: JSONValue, report: String) throws(StatsFormatError) -> Stage {
        guard case .object = json, let tool = json["tool"]?.stringValue else {
            throw StatsFormatError("not a soc-tools --report file (no \"tool\")")
        }
        if json["writes_records"] == .bool(false) {
            throw StatsFormatError(
                "the \(tool) run of this report wrote no records (--check, --dry-run or a sink such as soc-stats), so no stage can follow it; give the reports of the runs that wrote the data"
            )
        }
        let read = try StatsJSONReader.int(json, "read")
        let written = try StatsJSONReader.int(json, "written")
        let rejected = try StatsJSONReader.int(json, "rejected")
        let removed = try StatsJSONReader.int(json, "removed")
        let modified = json["modified"] == nil ? 0 : try StatsJSONReader.int(json, "modified")
        guard read == written + rejected + removed else {
            throw StatsFormatError("read \(read) is not written + rejected + removed (\(written + rejected + removed))")
        }
        var all: [String: Int] = [:]
        for (code, value) in try StatsJSONReader.member(json, "reasons").objectValue ?? [] {
            all[code] = try StatsJSONReader.count(value, "reasons.\(code)")
        }
        var removedByCode: [String: Int] = [:]
        if let split = json["removed_reasons"] {
            for (code, value) in split.objectValue ?? [] {
                removedByCode[code] = try StatsJSONReader.count(value, "removed_reasons.\(code)")
            }
        } else if rejected == 0 {
            // Reports written before `removed_reasons`: the split is known when one side is 0.
            removedByCode = all
        } else if removed > 0 {
            throw StatsFormatError(
                "the report has both rejected and removed lines but no \"removed_reasons\" (written by an older soc-tools): rerun the stage"
            )
        }
        var rejectedByCode: [String: Int] = [:]
        for (code, count) in all {
            let gone = removedByCode[code] ?? 0
            guard gone <= count else { throw StatsFormatError("removed_reasons.\(code) is more than reasons.\(code)") }
            // `byte_order_mark` is said, not counted as a line; it is neither rejected nor removed.
            if count > gone && code != ReasonCode.byteOrderMark.rawValue { rejectedByCode[code] = count - gone }
        }
        let rejectedReasons = rejectedByCode.sorted { $0.key < $1.key }.map { (code: $0.key, count: $0.value) }
        let removedReasons = removedByCode.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map {
            (code: $0.key, count: $0.value)
        }
        return Stage(
            tool: tool, report: report, read: read, written: written, rejected: rejected, removed: removed,
            modified: modified, rejectedReasons: rejectedReasons, removedReasons: removedReasons)
    }

    /// `{"funnel_version", "read", "written", "chained", "breaks", "stages": [...]}`.
    public var json: JSONValue {
        func int(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }
        func reasons(_ list: [(code: String, count: Int)]) -> JSONValue {
            .object(list.map { ($0.code, int($0.count)) })
        }
        return .object([
            ("funnel_version", 1),
            ("tool", "soc-stats"),
            ("version", .string(SOCTools.version)),
            ("read", int(read)),
            ("written", int(written)),
            ("chained", .bool(breaks.isEmpty)),
            ("breaks", .array(breaks.map { .string($0) })),
            (
                "stages",
                .array(
                    stages.map { s in
                        .object([
                            ("tool", .string(s.tool)), ("report", .string(s.report)), ("read", int(s.read)),
                            ("rejected", int(s.rejected)), ("removed", int(s.removed)), ("written", int(s.written)),
                            ("modified", int(s.modified)), ("rejected_reasons", reasons(s.rejectedReasons)),
                            ("removed_reasons", reasons(s.removedReasons)),
                        ])
                    })
            ),
        ])
    }

    /// One step of the funnel as a reader follows it: lines left after it, or lines it took.
    public struct Step: Equatable, Sendable {
        public enum Kind: Equatable, Sendable { case read, rejected, removed, written }
        public var kind: Kind
        public var tool: String
        /// The reason code of a rejection or removal.
        public var code: String?
        public var count: Int
        /// Of the lines written, those the stage changed.
        public var modified = 0
    }

    /// read → each stage's rejections and removals by reason → written, stage by stage.
    public var steps: [Step] {
        var out: [Step] = []
        for (k, s) in stages.enumerated() {
            if k == 0 { out.append(Step(kind: .read, tool: s.tool, code: nil, count: s.read)) }
            out += s.rejectedReasons.map { Step(kind: .rejected, tool: s.tool, code: $0.code, count: $0.count) }
            out += s.removedReasons.map { Step(kind: .removed, tool: s.tool, code: $0.code, count: $0.count) }
            out.append(Step(kind: .written, tool: s.tool, code: nil, count: s.written, modified: s.modified))
        }
        return out
    }
}
