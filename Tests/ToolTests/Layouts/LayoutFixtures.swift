import Foundation
import SOCTestSupport

/// The chat-layout fixtures (OpenAI `messages`, ShareGPT `conversations`) under Tests/Fixtures.
enum LayoutFixtures {
    static func path(_ relative: String) -> String {
        Repository.root.appendingPathComponent("Tests/Fixtures").appendingPathComponent(relative).path
    }

    /// The non-empty lines of a fixture file.
    static func lines(_ relative: String) throws -> [String] {
        try String(contentsOfFile: path(relative), encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// Tests/Fixtures/filter/layouts.jsonl: each record carries the figures a person counted
    /// by hand from the definitions of docs/formats.md (`expect`: layout, turns, messages, words).
    struct Counted {
        var line: String
        var id: String
        var layout: String
        var turns: Int
        var messages: Int
        var words: Int
    }

    static func counted() throws -> [Counted] {
        try lines("filter/layouts.jsonl").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let expect = object["expect"] as! [String: Any]
            return Counted(
                line: line, id: object["id"] as! String, layout: expect["layout"] as! String,
                turns: expect["turns"] as! Int, messages: expect["messages"] as! Int, words: expect["words"] as! Int)
        }
    }
}
