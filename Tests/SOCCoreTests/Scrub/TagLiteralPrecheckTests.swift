import Foundation
import SOCTestSupport
import Testing

@testable import SOCCore

/// `TagLiteralPrecheck` only skips texts the default tag rules cannot match: its scan finds
/// exactly the texts a plain search finds, and a text it rules out has no match of the rule's
/// pattern, on the realistic fixture's messages and on generated tags and look-alikes.
@Suite struct TagLiteralPrecheckTests {
    let engine = try! ScrubEngine(RuleSet.defaults())

    /// The default rules that carry the check, with their compiled patterns.
    func tagRules() throws -> [(id: String, check: TagLiteralPrecheck, regex: PCRE2Regex)] {
        try engine.messageScrubber.rules.compactMap { rule in
            guard let check = rule.tagLiterals else { return nil }
            return (rule.rule.id, check, try #require(rule.fixed))
        }
    }

    /// Fails when the scan differs from a plain search, or when a rule ruled out matches.
    func expectExact(_ text: String, _ rules: [(id: String, check: TagLiteralPrecheck, regex: PCRE2Regex)]) throws {
        let bytes = Array(text.utf8)
        try bytes.withUnsafeBytes { subject in
            let present = TagLiteralPrecheck.scan(subject)
            for (k, needle) in TagLiteralPrecheck.needles.enumerated() {
                let plain =
                    bytes.count >= needle.count
                    && (0...(bytes.count - needle.count)).contains { Array(bytes[$0..<($0 + needle.count)]) == needle }
                #expect((present >> UInt32(k)) & 1 == (plain ? 1 : 0), "\(text.debugDescription) \(needle)")
                let later =
                    bytes.count > needle.count
                    && (1...(bytes.count - needle.count)).contains { Array(bytes[$0..<($0 + needle.count)]) == needle }
                #expect((present >> UInt32(16 + k)) & 1 == (later ? 1 : 0), "\(text.debugDescription) \(needle)")
            }
            for rule in rules where !rule.check.mayMatch(present) {
                let match = try rule.regex.firstMatchRange(in: subject, from: 0)
                #expect(match == nil, "\(rule.id) \(text.debugDescription)")
            }
            // A rule told its matches can only start at the first byte has none after it.
            for rule in rules where !rule.check.mayMatchAfterStart(present) && !subject.isEmpty {
                let later = try rule.regex.firstMatchRange(in: subject, from: 1)
                #expect(later == nil, "\(rule.id) \(text.debugDescription)")
            }
        }
    }

    @Test func everyDefaultTagRuleHasItsCheck() throws {
        #expect(try tagRules().map(\.id) == ["end-tag-last", "tag-audio-delay", "tag-media-caption"])
        // Only the caption rule breaks before its matches alone, where a match at the start of
        // a message changes nothing.
        let split = engine.messageScrubber.rules.filter { $0.tagLiterals != nil }.map { $0.splitOnly?.after }
        #expect(split.count == 3 && split[0] == nil && split[1] == true && split[2] == false)
    }

    @Test func generatedTagsAndLookAlikes() throws {
        let rules = try tagRules()
        let fragments = [
            "<audio>", "</audio>", "<audio", "<Audio>", "<audi>", "< audio>", "<delay minutes=\"3\"/>", "<delay/>",
            "<delayed>", "<delay", "<del", "<end/>", "<end />", "<end", "<image>", "</image>", "<imag", "<gif>",
            "</gif>", "<gi", "<video>", "</video>", "<vide", "<3", "<", ">", "/", "x", " ", "é", "\n", "😀", "<<",
        ]
        var numbers = SeededNumbers(state: 2508)
        func next(_ bound: Int) -> Int { numbers.next(bound) }
        for fragment in fragments { try expectExact(fragment, rules) }
        for _ in 0..<3000 {
            try expectExact((0..<(1 + next(8))).map { _ in fragments[next(fragments.count)] }.joined(), rules)
        }
    }

    /// The scan reads 64 bytes a round in four blocks, the last round's and block moved back to
    /// the text's end: tags at every offset around those edges, in texts of 1 to 200 bytes.
    @Test func tagsAtEveryOffsetOfLongTexts() throws {
        let rules = try tagRules()
        let tags = ["<audio>", "</audio>", "<delay/>", "<end/>", "<image>", "<gif>", "<video>", "<", "<del", "<en"]
        for length in [1, 7, 8, 15, 16, 17, 31, 63, 64, 65, 79, 80, 127, 128, 129, 150, 200] {
            for at in 0..<length {
                for tag in tags {
                    let pad = String(repeating: "x", count: at)
                    let text = String((pad + tag + String(repeating: "y", count: length)).prefix(length))
                    try expectExact(text, rules)
                    try expectExact(tag + String(text.dropFirst(min(tag.count, text.count))), rules)
                }
            }
        }
    }

    /// `literals` (constants) says which text of `needles` a word starts with, as `words` does.
    @Test func literalsAreTheWords() {
        var numbers = SeededNumbers(state: 64)
        var words = TagLiteralPrecheck.words.map(\.bytes)
        for _ in 0..<2000 {
            // A needle with random bytes after it, or a random word starting with `<`.
            let k = numbers.next(TagLiteralPrecheck.words.count)
            words.append(TagLiteralPrecheck.words[k].bytes | numbers.next() & ~TagLiteralPrecheck.words[k].mask)
            words.append(numbers.next() & ~0xFF | 0x3C)
        }
        for word in words {
            var expected: UInt32 = 0
            for (k, needle) in TagLiteralPrecheck.words.enumerated() where word & needle.mask == needle.bytes {
                expected |= 1 << UInt32(k)
            }
            #expect(TagLiteralPrecheck.literals(word) == expected, "\(String(word, radix: 16))")
        }
    }

    @Test func realisticFixtureMessages() throws {
        let rules = try tagRules()
        let url = Repository.root.appendingPathComponent("Tests/Fixtures/scrub/realistic.jsonl")
        var checked = 0
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
            guard let record = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let parts = record["chat_parts"] as? [[String: Any]]
            else { continue }
            for part in parts {
                for message in part["messages"] as? [String] ?? [] {
                    try expectExact(message, rules)
                    checked += 1
                }
            }
        }
        #expect(checked > 100)
    }
}
