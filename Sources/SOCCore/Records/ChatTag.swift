/// The names of the tags in SOC chat messages (docs/formats.md, "Tags inside messages"), as
/// `TagScanner` reports them and soc-stats counts them.
public enum ChatTag: Int, CaseIterable, Sendable {
    case image, gif, audio, video, delay, end
    /// A tag with another name (`<laugh>`, `<sticker/>`): a flaw worth counting.
    case unknown
    /// Not a name: the ill-formed tags of any name (what soc-validate rejects as `bad_tag` or
    /// `unbalanced_tag`), counted here as well as under their name.
    case illFormed

    /// The name used in metric names and JSON (`tags.<name>.…`).
    public var name: String {
        switch self {
        case .image: return "image"
        case .gif: return "gif"
        case .audio: return "audio"
        case .video: return "video"
        case .delay: return "delay"
        case .end: return "end"
        case .unknown: return "unknown"
        case .illFormed: return "ill_formed"
        }
    }

    /// The bit of this tag in a set of tags.
    public var bit: UInt8 { 1 << UInt8(rawValue) }
}
