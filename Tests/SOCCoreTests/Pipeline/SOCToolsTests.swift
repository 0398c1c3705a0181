import Foundation
import SOCTestSupport
import Testing

@testable import SOCCore

/// The version the tools carry comes from the VERSION file (scripts/embed_data.py).
@Suite struct SOCToolsTests {
    @Test func versionIsTheVersionFileOrGitDescribedFromIt() throws {
        let file = try String(contentsOf: Repository.root.appendingPathComponent("VERSION"), encoding: .utf8)
        let version = file.split(separator: "\n").first.map(String.init) ?? ""
        #expect(!version.isEmpty)
        // A release build may embed `git describe` against the tag v<VERSION>: "0.1.0-3-gabc1234".
        #expect(
            SOCTools.version == version || SOCTools.version.hasPrefix(version + "-"),
            "embedded \(SOCTools.version), VERSION \(version): run scripts/embed_data.py")
    }
}
