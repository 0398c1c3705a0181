import ArgumentParser
import SOCCore

/// `soc-stats`: not built yet (see its issue).
@main
struct StatsCommand: ToolCommand {
    static let configuration = CommandConfiguration(commandName: "soc-stats", abstract: "Not built yet.", version: SOCTools.version)

    func run() throws {
        StandardError.write("soc-stats: not built yet\n")
        try Self.finish(with: .usage)
    }
}
