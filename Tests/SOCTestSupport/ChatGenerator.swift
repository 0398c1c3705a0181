/// Deterministic chat text: a small LCG over a word list, so that tests build chats with known
/// edits (5% of messages, 75% of messages) without any fixture file.
public struct ChatGenerator {
    /// The default word list.
    public static let words =
        ("the a to and of it that is in you for was on with this just so but not have what like my be are "
        + "about know think really time if at do all get one can would yeah okay honestly maybe pretty weird week work "
        + "today tomorrow night morning coffee book idea plan thing people friend project draw write build fix read watch "
        + "story picture song game trip city rain sun weekend deadline meeting message call deal problem answer").split(
            separator: " "
        ).map(String.init)

    private var numbers: SeededNumbers
    private let words: [String]

    /// A generator seeded with `seed`, over the default words.
    public init(seed: UInt64) {
        self.init(state: seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407, words: Self.words)
    }

    /// A generator starting from `state`, over `words` (to keep another test's text as it was).
    public init(state: UInt64, words: [String]) {
        numbers = SeededNumbers(state: state)
        self.words = words
    }

    /// A number below `bound`.
    public mutating func next(_ bound: Int) -> Int { numbers.next(bound) }

    /// 8 to 17 words, capitalized, with a full stop.
    public mutating func sentence() -> String {
        let n = 8 + next(10)
        var chosen: [String] = []
        for _ in 0..<n { chosen.append(words[next(words.count)]) }
        return chosen.joined(separator: " ").capitalized + "."
    }

    /// `count` messages.
    public mutating func messages(_ count: Int) -> [String] { (0..<count).map { _ in sentence() } }

    /// Three chats of `count` messages that chain: B is A with its first 3 messages replaced, C
    /// is B with messages 3..<6 replaced, so A ≈ B and B ≈ C while A and C differ twice as much
    /// (the case where greedy and connected-components dedup disagree).
    public mutating func chain(_ count: Int) -> (a: [String], b: [String], c: [String]) {
        let a = messages(count)
        var b = a
        for k in 0..<3 { b[k] = sentence() }
        var c = b
        for k in 3..<6 { c[k] = sentence() }
        return (a, b, c)
    }

    /// A copy of `messages` with `fraction` of them (at evenly spread positions) replaced.
    public mutating func edited(_ messages: [String], fraction: Double) -> [String] {
        var copy = messages
        let edits = max(1, Int(Double(messages.count) * fraction))
        for k in 0..<edits { copy[k * messages.count / edits] = sentence() }
        return copy
    }
}
