import Foundation
import SOCTestSupport
import Testing

@testable import SOCCore

/// The JSONTestSuite parsing cases (`../shared/conformance/JSONTestSuite/test_parsing/`): each case
/// whose only newline is at its end is fed as one line. `y_` must parse, `n_` must be rejected,
/// `i_` must finish (either way) without a crash or hang. Skips when the folder is absent.
@Suite struct JSONTestSuiteTests {
    static let folder = Repository.shared("conformance/JSONTestSuite/test_parsing")

    @Test(.enabled(if: folder != nil, "../shared/conformance/JSONTestSuite is absent"))
    func everyOneLineCaseGetsTheRightVerdict() throws {
        let folder = try #require(Self.folder)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }
            .sorted()
        var checked = 0
        var skippedMultiline = 0
        for name in names {
            var bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
            if bytes.last == 10 { bytes.removeLast() }
            if bytes.contains(10) {
                skippedMultiline += 1
                continue
            }
            // The reader strips a final \r as part of a \r\n ending; do the same.
            if bytes.last == 13 { bytes.removeLast() }
            let error = parseError(bytes)
            if name.hasPrefix("y_") {
                #expect(error == nil, "\(name) must parse: \(error?.message ?? "")")
            } else if name.hasPrefix("n_") {
                #expect(error != nil, "\(name) must be rejected")
            }
            checked += 1
        }
        #expect(checked > 250)
        print("JSONTestSuite: \(checked) one-line cases checked, \(skippedMultiline) multi-line cases not applicable")
    }
}
