import Foundation
@testable import SOCCore

/// Deterministic chat text for dedup tests: a small LCG over a word list, so that tests build
/// chats with known edits (5% of messages, 75% of messages) without any fixture file.
struct ChatFixture {
    static let words = ("the a to and of it that is in you for was on with this just so but not have what like my be are "
        + "about know think really time if at do all get one can would yeah okay honestly maybe pretty weird week work "
        + "today tomorrow night morning coffee book idea plan thing people friend project draw write build fix read watch "
        + "story picture song game trip city rain sun weekend deadline meeting message call deal problem answer").split(separator: " ").map(String.init)

    private var state: UInt64

    init(seed: UInt64) { state = seed &* 6364136223846793005 &+ 1442695040888963407 }

    mutating func next(_ bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(bound))
    }

    mutating func sentence() -> String {
        let n = 8 + next(10)
        var words: [String] = []
        for _ in 0..<n { words.append(Self.words[next(Self.words.count)]) }
        return words.joined(separator: " ").capitalized + "."
    }

    /// `count` messages.
    mutating func messages(_ count: Int) -> [String] { (0..<count).map { _ in sentence() } }

    /// A copy of `messages` with `fraction` of them (at evenly spread positions) replaced.
    mutating func edited(_ messages: [String], fraction: Double) -> [String] {
        var copy = messages
        let edits = max(1, Int(Double(messages.count) * fraction))
        let step = Double(messages.count) / Double(edits)
        for k in 0..<edits { copy[Int(Double(k) * step)] = sentence() }
        return copy
    }

    /// A SOC chat line with two senders taking turns, two messages per part.
    static func chatLine(id: String, messages: [String]) -> String {
        var parts: [String] = []
        var k = 0
        while k < messages.count {
            let chunk = messages[k..<min(k + 2, messages.count)].map { JSONString.quoted($0) }.joined(separator: ",")
            parts.append("{\"sender\":\"\(parts.count % 2 == 0 ? "aa" : "bb")\",\"messages\":[\(chunk)]}")
            k += 2
        }
        return "{\"chat_id\":\"\(id)\",\"chat_parts\":[\(parts.joined(separator: ","))],\"model\":\"m\"}"
    }
}

/// Runs `lines` through a fingerprinter and a duplicate index, as the one-shot run does.
func decisions(_ lines: [String], settings: DedupSettings = DedupSettings()) throws -> [DuplicateDecision] {
    let fingerprinter = Fingerprinter(settings: settings)
    var index = DuplicateIndex(threshold: settings.threshold, numPerm: settings.numPerm, parameters: settings.lshParameters, near: settings.near)
    return try lines.map { line in
        try withDocument(line) { index.decide(fingerprinter.fingerprint($0))! }
    }
}

/// Exact Jaccard similarity of two texts' shingle sets.
func jaccard(_ a: String, _ b: String, ngram: Int = 5) -> Double {
    let x = Shingler(ngram: ngram), y = Shingler(ngram: ngram)
    x.append(a)
    y.append(b)
    let sa = Set(x.shingles()), sb = Set(y.shingles())
    return Double(sa.intersection(sb).count) / Double(sa.union(sb).count)
}
