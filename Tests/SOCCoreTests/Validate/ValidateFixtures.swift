import Foundation
import SOCTestSupport

@testable import SOCCore

/// Tests/Fixtures/validate: the corpus with one broken record per reason code
/// (made by make_corpus.py there) and what each line must produce.
enum ValidateFixtures {
    static let folder = Repository.root.appendingPathComponent("Tests/Fixtures/validate")
    static var corpus: String { folder.appendingPathComponent("corpus.jsonl").path }
    static var personas: String { folder.appendingPathComponent("personas.jsonl").path }

    struct Expectation {
        var line: Int
        var code: String
        var path: String
    }

    static func expectations() throws -> [Expectation] {
        let text = try String(contentsOf: folder.appendingPathComponent("expected.tsv"), encoding: .utf8)
        return text.split(separator: "\n").map { row in
            let cells = row.split(separator: "\t").map(String.init)
            return Expectation(line: Int(cells[0])!, code: cells[1], path: cells[2])
        }
    }

    static func lines() throws -> [String] {
        try String(contentsOf: URL(fileURLWithPath: corpus), encoding: .utf8).split(
            separator: "\n", omittingEmptySubsequences: false
        ).dropLast().map(String.init)
    }

    /// Runs `body` on `text` parsed by our parser (nil when it does not parse).
    static func withDocument<R>(_ text: String, _ body: (JSONDocument?) -> R) -> R {
        let parser = JSONParser()
        return Array(text.utf8).withUnsafeBytes { raw in
            switch parser.parse(raw) {
            case .success(let document): return body(document)
            case .failure: return body(nil)
            }
        }
    }
}
