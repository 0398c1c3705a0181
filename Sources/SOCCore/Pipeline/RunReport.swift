/// The `--report FILE` JSON object, the same shape for every tool:
/// `{"tool","version","read","written","rejected","removed","modified","reasons":{code:n},
/// "removed_reasons":{code:n},"inputs":[...]}` followed by any fields the tool adds
/// (`removed_reasons` is the part of `reasons` that was removed rather than rejected).
public struct RunReport {
    public var tool: String
    public var tally: Tally
    public var inputs: [String]
    public var extras: [(String, JSONValue)]

    public init(tool: String, tally: Tally, inputs: [String], extras: [(String, JSONValue)] = []) {
        self.tool = tool
        self.tally = tally
        self.inputs = inputs
        self.extras = extras
    }

    /// The report as a JSON value, reason codes sorted so that runs compare byte for byte.
    public var json: JSONValue {
        let reasons = tally.reasons.sorted { $0.key < $1.key }.map {
            ($0.key.rawValue, JSONValue.number(JSONNumber($0.value)))
        }
        let removedReasons = tally.removedReasons.sorted { $0.key < $1.key }.map {
            ($0.key.rawValue, JSONValue.number(JSONNumber($0.value)))
        }
        return .object(
            [
                ("tool", .string(tool)), ("version", .string(SOCTools.version)),
                ("read", .number(JSONNumber(tally.read))), ("written", .number(JSONNumber(tally.written))),
                ("rejected", .number(JSONNumber(tally.rejected))), ("removed", .number(JSONNumber(tally.removed))),
                ("modified", .number(JSONNumber(tally.modified))),
                ("reasons", .object(reasons)), ("removed_reasons", .object(removedReasons)),
                ("inputs", .array(inputs.map { .string($0) })),
            ] + extras)
    }
}
