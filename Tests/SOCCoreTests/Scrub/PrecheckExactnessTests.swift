import Foundation
import SOCTestSupport
import Testing

@testable import SOCCore

/// The pre-checks (gate bytes searched across a record, PCRE2's required bytes, the pattern
/// suffix after the placeholders, split matches that change nothing) only skip work: on random
/// messages made of label, tag and look-alike fragments, the stage gives exactly what running
/// every rule's full pattern on every message gives.
@Suite struct PrecheckExactnessTests {
    static let fragments = [
        "Elias", "Elias Vance", "ELIAS", "Luna", "luna reyes", "quantum_scribe", "Zoë", "zoë o'brien",
        "theofficial.emma",
        ":", ": ", " :", "**", "[", "]", "@", " ", "  ", "\n", "\t", "\u{3000}", "x", "hi", "10:30", ":)", "é",
        "<audio>", "</audio>", "<gif>", "</gif>", "<image>", "</image>", "<video>a</video>", "<delay minutes=\"3\"/>",
        "<end/>", "<3", "\"",
    ]

    /// Every rule's full per-record pattern on every piece, no pre-checks; then trim and drop.
    func reference(_ text: String, _ engine: ScrubEngine, _ names: PersonaNames) throws -> [String] {
        var pieces = [Array(text.utf8)]
        engine.messageScrubber.matcher.load(names)
        for rule in engine.messageScrubber.rules {
            let regex = try #require(rule.fixed ?? rule.compile(for: names, jit: true))
            pieces = try pieces.flatMap { piece in
                try piece.withUnsafeBytes { try TextScrubber.substitute(regex, rule.replacement, in: $0) } ?? [piece]
            }
        }
        return pieces.compactMap { piece in
            let range = piece.withUnsafeBytes { BlankText.trimmedRange($0) }
            return range.isEmpty ? nil : String(decoding: piece[range], as: UTF8.self)
        }
    }

    @Test func stageEqualsFullPatternsOnEveryMessage() throws {
        var random = SeededNumbers(state: 2508)
        let engine = try ScrubEngine(RuleSet.defaults())
        let stage = ScrubStage(engine: try ScrubEngine(RuleSet.defaults()))
        let pairs: [[(name: String?, username: String?)]] = [
            [("Elias Vance", "quantum_scribe"), ("Luna Reyes", nil)],
            [("Zoë O'Brien", "theofficial.emma"), ("Luna Reyes", "StardustSketcher")],
        ]
        for round in 0..<800 {
            let personas = pairs[round % 2]
            var parts: [[String]] = []
            for _ in 0..<(2 + random.next(4)) {
                parts.append(
                    (0..<(1 + random.next(4))).map { _ in
                        (0..<random.next(7)).map { _ in Self.fragments[random.next(Self.fragments.count)] }.joined()
                    })
            }
            // Written by hand: in odd rounds any character may be a \u escape (':' and '<' too),
            // which the candidate search must see through.
            func quoted(_ text: String) -> String {
                var out = "\""
                for scalar in text.unicodeScalars {
                    if round % 2 == 1 && random.next(3) == 0 {
                        for unit in String(scalar).utf16 {
                            let hex = String(unit, radix: 16)
                            out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                        }
                    } else if scalar == "\"" || scalar == "\\" {
                        out += "\\" + String(scalar)
                    } else if scalar.value < 0x20 {
                        out += "\\u00" + (scalar.value < 16 ? "0" : "") + String(scalar.value, radix: 16)
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
                return out + "\""
            }
            func persona(_ p: (name: String?, username: String?)) -> String {
                "{\"name\": \(quoted(p.name!)), \"username\": \(p.username.map(quoted) ?? "null")}"
            }
            let chatParts = parts.enumerated().map { k, messages in
                "{\"sender\": \"\(k % 2 == 0 ? "a" : "b")\", \"messages\": [\(messages.map(quoted).joined(separator: ", "))]}"
            }
            let line = Data(
                ("{\"chat_id\": \"c\(round)\", \"experience\": {\"persona1\": \(persona(personas[0])), \"persona2\": \(persona(personas[1]))}, "
                    + "\"chat_parts\": [\(chatParts.joined(separator: ", "))]}").utf8)
            let names = PersonaNames(personas)
            // Each part's messages; emptied parts dropped, the parts around them merged when
            // they have one sender (senders alternate by index).
            var expected: [[String]] = []
            var lastSender = -1
            var droppedSince = false
            var anyDropped = false
            for (k, messages) in try parts.map({ try $0.flatMap { try reference($0, engine, names) } }).enumerated() {
                if messages.isEmpty {
                    droppedSince = true
                    anyDropped = true
                    continue
                }
                if droppedSince, lastSender == k % 2 {
                    expected[expected.count - 1] += messages
                } else {
                    expected.append(messages)
                }
                lastSender = k % 2
                droppedSince = false
            }
            let output: [UInt8]? = try withDocument(bytes: Array(line)) { document in
                switch stage.process(document, at: RecordLocation(file: "t", line: round)) {
                case .keep: return Array(line)
                case .edit(let edits): return JSONEdit.apply(edits, to: document.bytes)
                case .reject(let diagnosis, _) where diagnosis.code == .emptiedByScrub: return nil
                default:
                    Issue.record("unexpected verdict")
                    return []
                }
            }
            guard let output else {
                #expect(anyDropped && expected.count < 2, "record \(round) rejected: \(parts)")
                continue
            }
            let object = try JSONSerialization.jsonObject(with: Data(output)) as? [String: Any]
            let got = (object?["chat_parts"] as? [[String: Any]])?.map { $0["messages"] as? [String] ?? [] }
            #expect(got == expected, "record \(round): \(parts)")
        }
    }
}
