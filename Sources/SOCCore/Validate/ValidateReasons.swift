/// soc-validate's reason codes beyond the schema's own (`schema_<keyword>`).
extension ReasonCode {
    /// A record that is neither a SOC chat nor an SPB persona (without `--kind`).
    public static let unknownKind: ReasonCode = "unknown_kind"
    /// A part's `sender` is neither persona's id.
    public static let unknownSender: ReasonCode = "unknown_sender"
    /// `persona1` and `persona2` have the same id.
    public static let samePersona: ReasonCode = "same_persona"
    /// `chat_id` is not `<persona1.id>_<persona2.id>_<digits>`.
    public static let chatIDMismatch: ReasonCode = "chat_id_mismatch"
    /// Two consecutive parts by the same sender (the speakers take turns).
    public static let sameSenderTwice: ReasonCode = "same_sender_twice"
    /// Fewer than 2 parts.
    public static let tooFewTurns: ReasonCode = "too_few_turns"
    /// An empty or whitespace-only message.
    public static let emptyMessage: ReasonCode = "empty_message"
    /// An unknown or malformed tag (`<b>`, `<delay minutes=5>`, `<end>`).
    public static let badTag: ReasonCode = "bad_tag"
    /// A media tag opened and not closed, closed without being opened, or nested.
    public static let unbalancedTag: ReasonCode = "unbalanced_tag"
    /// `<end/>` before the last message of the last part.
    public static let earlyEnd: ReasonCode = "early_end"
    /// A `chat_id` (or persona `id`) already taken by an earlier accepted record.
    public static let duplicateID: ReasonCode = "duplicate_id"
    /// A persona of the chat is not in the `--personas` bank.
    public static let unknownPersona: ReasonCode = "unknown_persona"
    /// A persona of the chat differs from the bank's persona with its id.
    public static let personaMismatch: ReasonCode = "persona_mismatch"
    /// An object gives one key twice (compared after unescaping), at any depth.
    public static let duplicateKey: ReasonCode = "duplicate_key"

    /// The reason code of a schema violation: `schema_` and the keyword in snake case
    /// (`required` → `schema_required`, `additionalProperties` → `schema_additional_properties`).
    public static func schema(_ keyword: String) -> ReasonCode {
        var name = "schema_"
        for scalar in keyword.unicodeScalars where scalar != "$" {
            if scalar >= "A" && scalar <= "Z" {
                name += "_"
                name.unicodeScalars.append(Unicode.Scalar(scalar.value + 32)!)
            } else {
                name.unicodeScalars.append(scalar)
            }
        }
        return ReasonCode(name)
    }
}

/// The codes `--skip` accepts and `--help` lists, with what each means.
public enum ValidateReasons {
    public static let checks: [(ReasonCode, String)] = [
        (.duplicateKey, "an object gives one key twice (other tools read the last)"),
        (.unknownKind, "neither a SOC chat nor an SPB persona (without --kind)"),
        (.unknownSender, "a part's sender is neither persona's id"),
        (.samePersona, "persona1 and persona2 have the same id"),
        (.chatIDMismatch, "chat_id is not <persona1.id>_<persona2.id>_<digits>"),
        (.sameSenderTwice, "two consecutive parts by the same sender"),
        (.tooFewTurns, "fewer than 2 parts (turns, in the flat layouts)"),
        (.emptyMessage, "an empty or whitespace-only message"),
        (.badTag, "unknown or malformed tag (<b>, <delay minutes=5/>, <end>)"),
        (.unbalancedTag, "a media tag not closed, closed twice, or nested"),
        (.earlyEnd, "<end/> before the last message of the last part (turn)"),
        (.duplicateID, "chat_id (persona or flat chat id) of an earlier accepted record"),
        (.unknownPersona, "with --personas: a persona not in the bank"),
        (.personaMismatch, "with --personas: a persona unlike the bank's"),
    ]
}
