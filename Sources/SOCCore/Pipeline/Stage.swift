/// Where a record came from, for diagnostics.
public struct RecordLocation: Sendable {
    /// The input's display name.
    public var file: String
    /// 1-based line number in that input.
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
}

/// A problem found in a record: a reason code, where in the record (a JSONPath such as
/// `$.chat_parts[3].sender`, or nil), and a message a person can act on.
public struct Diagnosis: Error, Sendable {
    public var code: ReasonCode
    public var path: String?
    public var message: String
    /// The record's own id (a `chat_id`, a persona `id`) when the stage knows it, for error logs.
    public var recordID: String?

    public init(code: ReasonCode, path: String? = nil, message: String, recordID: String? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.recordID = recordID
    }
}

/// Something about a record that can only be judged against the records before it, in input
/// order (an id that must be unique, a fingerprint to probe against the records kept so far):
/// a stage states it in its verdict while deciding the record, possibly on another thread, and
/// the runner has the primary stage `confirm` it in input order.
public protocol OrderedClaim: Sendable {}

extension OrderedClaim {
    /// This claim as a `T` when its type is exactly `T`, else nil: the dynamic type's metadata
    /// compared and the value reinterpreted. `claim as? T` is a runtime cast of about 400
    /// instructions, and a stage that confirms a claim for every record (soc-dedup) pays it on
    /// the serial writer.
    @inline(__always)
    public func exactly<T: OrderedClaim>(_ type: T.Type) -> T? {
        Self.self == T.self ? unsafeBitCast(self, to: T.self) : nil
    }
}

/// A key that must not have been claimed by an earlier accepted record (validate's unique ids).
public struct UniqueKeyClaim: OrderedClaim {
    /// What must be unique across records.
    public var key: String
    /// Where it is in the record, for the diagnosis.
    public var path: String

    public init(key: String, path: String) {
        self.key = key
        self.path = path
    }
}

/// What a stage decided about one record: the whole answer. The runner reads nothing back from
/// the stage after `process`; everything it needs (further diagnoses, a claim) is here.
public enum Verdict: Sendable {
    /// Write the record unchanged, byte for byte; a claim, when given, is confirmed in input
    /// order first (`RecordStage.confirm`), which gives the record its final verdict.
    case keep(claim: (any OrderedClaim)?)
    /// Write the record with these byte ranges replaced (counted as modified).
    case edit([JSONEdit])
    /// The record's new line (without its newline) is this range of the `LineOutput` the
    /// runner gave the stage (`RecordStage.attach`), written there by `process` (counted as
    /// modified). Only `process` returns it, and only on a stage with a line output.
    case written(Range<Int>)
    /// Leave the record out on purpose (a duplicate, a filtered record); counted as removed.
    case remove(Diagnosis)
    /// The record cannot be accepted; it goes to `--rejects` and counts as rejected. `also`
    /// holds the record's further problems (for validate's `--errors`).
    case reject(Diagnosis, also: [Diagnosis] = [])
    /// The record was taken in by a sink stage (statistics, signatures) and is not written;
    /// counted as written.
    case consume

    /// Write the record unchanged, with nothing to confirm.
    public static var keep: Verdict { .keep(claim: nil) }
}

/// What a stage gathered over one work unit besides its verdicts (a unit's statistics, its
/// audit lines), handed from the stage that decided the unit to the primary stage in input order.
public protocol WorkUnitResult {}

/// One tool's logic over records. The runner owns reading, parsing, writing, counting and
/// threads; a stage looks at one record at a time and returns a verdict.
///
/// The runner cuts the input into work units fixed by the input alone (never by the thread
/// count), has each unit decided by one stage (`process` for each record, then `endUnit`), and
/// then, on one thread and in input order, confirms claims, applies verdicts and hands the unit's
/// result to the primary stage (`absorb`). So a stage whose ordered work is in `confirm` and
/// `absorb` gives the same bytes for any number of threads.
public protocol RecordStage: AnyObject {
    /// Decides what happens to one parsed record. Runs on any of the run's threads (on a stage from
    /// `makeWorker`), so it may touch only this stage's own state.
    func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict

    /// A fresh stage with the same configuration for another thread, or nil when records
    /// cannot be decided apart from each other (the runner then decides them all on this stage,
    /// one after another). Default nil.
    func makeWorker() -> RecordStage?

    /// Called on the stage that decided a work unit, after its last record; what it returns is
    /// passed to the primary stage's `absorb` in input order. Default nil.
    func endUnit() -> (any WorkUnitResult)?

    /// Takes in one unit's result, on the primary stage, in input order (after the unit's records
    /// were applied). Throws to stop the run (a `ToolError` carries the exit status).
    func absorb(_ result: any WorkUnitResult) throws

    /// Judges a kept record's claim against the records before it, on the primary stage, in
    /// input order; returns the record's final verdict (`.keep` when the claim holds). Throws to
    /// stop the run (a full index, a side output that cannot be written).
    func confirm(_ claim: any OrderedClaim, at location: RecordLocation) throws -> Verdict

    /// Called once after the last record of a run that read all its inputs (write what is
    /// written at the end here). Throws to stop the run; nothing is then committed.
    func finish() throws

    /// Extra fields for the `--report` JSON (e.g. LSH parameters); default none. Only what the
    /// input and the options determine: the report is the same bytes for any thread count.
    var reportExtras: [(String, JSONValue)] { get }

    /// The side outputs this stage writes (`--audit`, `--clusters`, ...): the runner opens them
    /// before the first line and commits them with the main outputs. Default none.
    var sideOutputs: [SideOutput] { get }

    /// Lines for the `--timings` summary on stderr (cache counters, compile times), given the
    /// worker stages of the run; default none. Figures that depend on threads or the machine go
    /// here, not in the report.
    func timingLines(workers: [RecordStage]) -> [String]

    /// Gives the stage the buffer the new lines of the records it decides are collected in
    /// (once, before its first record): `process` may append a record's whole new line there
    /// and return `.written`, instead of `.edit`, whose bytes the runner copies there. Default:
    /// the output is not kept.
    func attach(_ output: LineOutput)
}

extension RecordStage {
    public func makeWorker() -> RecordStage? { nil }
    public func endUnit() -> (any WorkUnitResult)? { nil }
    public func absorb(_ result: any WorkUnitResult) throws {}
    public func confirm(_ claim: any OrderedClaim, at location: RecordLocation) throws -> Verdict { .keep }
    public func finish() throws {}
    public var reportExtras: [(String, JSONValue)] { [] }
    public var sideOutputs: [SideOutput] { [] }
    public func timingLines(workers: [RecordStage]) -> [String] { [] }
    public func attach(_ output: LineOutput) {}
}
