/// One change a rule (or the built-in trim and drop steps) made to one string.
public struct ScrubChange: Sendable {
    /// The rule id, or `trim` / `drop-empty-message` for the built-in steps.
    public var rule: String
    /// Where the change is counted: a built-in step's index in `BuiltInStep.ids`, or
    /// `BuiltInStep.ids.count` + the rule's index in its rule set (`ScrubEngine.stepIDs`).
    /// Counting by index costs no hashing of the id per change.
    public var step: Int
    /// The text the rule saw (UTF-8); empty when the scrubber does not keep texts (no
    /// `--audit`: only the counts are needed, and copying the texts was 2–3% of a run).
    public var beforeBytes: [UInt8]
    /// What it left: one string, several when the rule split the message, none when dropped
    /// (empty too when texts are not kept).
    public var afterBytes: [[UInt8]]

    public init(rule: String, step: Int, before: [UInt8], after: [[UInt8]]) {
        self.rule = rule
        self.step = step
        beforeBytes = before
        afterBytes = after
    }

    /// The text the rule saw.
    public var before: String { String(decoding: beforeBytes, as: UTF8.self) }
    /// What it left, as strings.
    public var after: [String] { afterBytes.map { String(decoding: $0, as: UTF8.self) } }
}

/// What the rules made of one string: the resulting strings (several after a split, none when
/// it was emptied) and each change on the way.
public struct ScrubOutcome: Sendable {
    public var pieces: ScrubPieces
    /// Each change, in order; empty when the scrubber does not keep texts (no `--audit`).
    public var changes: [ScrubChange] {
        get { recorded ?? [] }
        set { recorded = newValue.isEmpty ? nil : newValue }
    }
    /// `changes`, nil when there are none (nearly every outcome without `--audit`): an outcome
    /// is made, copied and destroyed per changed message, and an empty array is still a
    /// reference retained and released each time (an optional's nil is not).
    private var recorded: [ScrubChange]?
    /// The `ScrubChange.step` of each change (always filled): all the counts need.
    public var steps: ScrubSteps

    /// The outcome of these pieces, changes (none without texts) and steps.
    public init(pieces: ScrubPieces, changes: [ScrubChange], steps: ScrubSteps) {
        self.pieces = pieces
        recorded = changes.isEmpty ? nil : changes
        self.steps = steps
    }
}

/// The steps of one string's changes, for counting. Up to eight steps below 256 are held in
/// one word, so a changed message without `--audit` allocates no array for its changes (the
/// `[ScrubChange]` arrays made and freed per changed message were about 8% of scrub's
/// instructions, callgrind on the first 20 MB of the realistic bench file).
public struct ScrubSteps: Sendable, Sequence {
    /// The first (up to) eight steps, a byte each, the first in the low byte.
    private var packed: UInt64 = 0
    /// How many steps `packed` holds.
    private var packedCount = 0
    /// The steps after those in `packed` (or from the first that does not fit a byte); nil
    /// when there are none (an empty array is a reference retained and released with each
    /// copy, an optional's nil is not).
    private var overflow: [Int]?

    public init() {}

    /// Adds `step`.
    public mutating func append(_ step: Int) {
        if packedCount < 8 && overflow == nil && step >= 0 && step < 256 {
            packed |= UInt64(step) << (8 * UInt64(packedCount))
            packedCount += 1
        } else {
            if overflow == nil { overflow = [step] } else { overflow!.append(step) }
        }
    }

    /// How many steps there are.
    public var count: Int { packedCount + (overflow?.count ?? 0) }

    /// Counts each step in `unit`, in place (no copy of the steps, nor of what holds them).
    func addCounts(to unit: inout ScrubUnit) {
        unit.add(packed: packed, count: packedCount)
        if let overflow {
            for step in overflow { unit.add(step) }
        }
    }

    /// The steps in the order added.
    public func makeIterator() -> Iterator {
        Iterator(word: packed, packedLeft: packedCount, overflow: overflow)
    }

    /// Walks the packed steps, then the overflow.
    public struct Iterator: IteratorProtocol {
        var word: UInt64
        var packedLeft: Int
        var overflow: [Int]?
        var position = 0

        public mutating func next() -> Int? {
            if packedLeft > 0 {
                packedLeft -= 1
                defer { word >>= 8 }
                return Int(word & 0xFF)
            }
            guard let overflow, position < overflow.count else { return nil }
            position += 1
            return overflow[position - 1]
        }
    }
}

/// Built-in step ids, counted and audited like rules.
public enum BuiltInStep {
    /// Leading and trailing whitespace removed from a resulting string.
    public static let trim = "trim"
    /// A message left empty, dropped.
    public static let dropEmptyMessage = "drop-empty-message"
    /// A chat part left without messages, dropped.
    public static let dropEmptyPart = "drop-empty-part"
    /// A part joined to the kept part before it (same sender, only dropped parts between).
    public static let mergeParts = "merge-parts"

    /// The built-in steps in report order; a step's `ScrubChange.step` is its index here.
    public static let ids = [trim, dropEmptyMessage, dropEmptyPart, mergeParts]
    /// The `ScrubChange.step` of each built-in step.
    static let trimStep = 0
    static let dropEmptyMessageStep = 1
    static let dropEmptyPartStep = 2
    static let mergePartsStep = 3
}

/// A rule PCRE2 could not finish on a string (match, depth or heap limit): the record is
/// rejected (`regex_limit`), never passed as if the rule had not matched.
public struct RuleMatchFailure: Error, Sendable {
    /// The rule's id.
    public var rule: String
    /// PCRE2's error.
    public var error: PCRE2Regex.MatchError
}
