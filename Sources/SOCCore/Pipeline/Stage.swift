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
/// order (an id that must be unique): a stage states it while deciding the record, possibly on
/// another thread, and the runner has the stage confirm it in order.
public struct OrderedClaim: Sendable {
    /// What must be unique (or otherwise checked) across records.
    public var key: String
    /// Where it is in the record, for the diagnosis.
    public var path: String

    public init(key: String, path: String) {
        self.key = key
        self.path = path
    }
}

/// An error a stage throws from `finish` because the data, not the machine, failed (a removal
/// list that does not belong to its input): the run ends with exit status 1, not 3.
public protocol DataFailure: Error, CustomStringConvertible {}

/// What a stage decided about one record.
public enum Verdict {
    /// Write the record unchanged, byte for byte.
    case keep
    /// Write the record with these byte ranges replaced (counted as modified).
    case edit([JSONEdit])
    /// Write these bytes instead of the record (one line, without its newline).
    case replace([UInt8])
    /// Leave the record out on purpose (a duplicate, a filtered record); counted as removed.
    case remove(Diagnosis)
    /// The record cannot be accepted; it goes to `--rejects` and counts as rejected.
    case reject(Diagnosis)
    /// The record was taken in by a sink stage (statistics) and is not written; counted as written.
    case consume
}

/// One tool's logic over records. The runner owns reading, parsing, writing and counting;
/// a stage only looks at one record at a time and returns a verdict.
public protocol RecordStage: AnyObject {
    /// Decides what happens to one parsed record.
    func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict

    /// Called once after the last record (write side outputs here); the default does nothing.
    func finish(tally: Tally) throws

    /// Extra fields for the `--report` JSON (e.g. LSH parameters); default none.
    var reportExtras: [(String, JSONValue)] { get }

    /// Further diagnoses of the record last rejected, beyond the first (for `--errors`); default none.
    var additionalDiagnoses: [Diagnosis] { get }

    /// The claim of the record `process` just kept, to be confirmed in input order; default nil.
    var orderedClaim: OrderedClaim? { get }

    /// Confirms a kept record's claim, called in input order on the stage the runner was given
    /// (never on a worker); a diagnosis rejects the record. Default: every claim holds.
    func confirm(_ claim: OrderedClaim, at location: RecordLocation) -> Diagnosis?
}

extension RecordStage {
    public func finish(tally: Tally) throws {}
    public var reportExtras: [(String, JSONValue)] { [] }
    public var additionalDiagnoses: [Diagnosis] { [] }
    public var orderedClaim: OrderedClaim? { nil }
    public func confirm(_ claim: OrderedClaim, at location: RecordLocation) -> Diagnosis? { nil }
}

/// A stage whose records can be decided on two threads at once: each thread gets its own
/// stage from `makeWorker()`. Stages that compare records with each other must not adopt it,
/// unless the comparison is an `OrderedClaim` (validate's unique ids), which the runner has the
/// primary stage confirm in input order. A sink that accumulates (statistics) folds a worker back in `mergeWorker`.
///
/// The runner always uses exactly two workers, whatever the machine, and splits each batch of
/// lines at the same place, so the output is the same bytes on any machine.
public protocol ParallelRecordStage: RecordStage {
    /// A fresh stage with the same configuration, for another thread.
    func makeWorker() -> RecordStage
    /// Folds the state a worker accumulated into this stage, before `finish`; default nothing.
    func mergeWorker(_ worker: RecordStage)
}

extension ParallelRecordStage {
    public func mergeWorker(_ worker: RecordStage) {}
}

/// A parallel stage behind a plain `RecordStage`, so that the runner keeps to one thread
/// (e.g. scrub's audit log in input order, `soc-stats --threads 1`).
public final class SequentialStage: RecordStage {
    public let inner: RecordStage
    public init(_ inner: RecordStage) { self.inner = inner }
    public func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict { inner.process(document, at: location) }
    public func finish(tally: Tally) throws { try inner.finish(tally: tally) }
    public var reportExtras: [(String, JSONValue)] { inner.reportExtras }
    public var additionalDiagnoses: [Diagnosis] { inner.additionalDiagnoses }
    public var orderedClaim: OrderedClaim? { inner.orderedClaim }
    public func confirm(_ claim: OrderedClaim, at location: RecordLocation) -> Diagnosis? { inner.confirm(claim, at: location) }
}
