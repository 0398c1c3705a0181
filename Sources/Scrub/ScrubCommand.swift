import ArgumentParser
import SOCCore

/// `soc-scrub`: not built yet (see its issue).
@main
struct ScrubCommand: ToolCommand {
    static let configuration = CommandConfiguration(commandName: "soc-scrub", abstract: "Not built yet.", version: SOCTools.version)

    func run() throws {
        StandardError.write("soc-scrub: not built yet\n")
        try Self.finish(with: .usage)
    }
}
