import ArgumentParser
import SOCCore

/// `soc-dedup`: not built yet (see its issue).
@main
struct DedupCommand: ToolCommand {
    static let configuration = CommandConfiguration(commandName: "soc-dedup", abstract: "Not built yet.", version: SOCTools.version)

    func run() throws {
        StandardError.write("soc-dedup: not built yet\n")
        try Self.finish(with: .usage)
    }
}
