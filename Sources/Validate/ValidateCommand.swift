import ArgumentParser
import SOCCore

/// `soc-validate`: not built yet (see its issue).
@main
struct ValidateCommand: ToolCommand {
    static let configuration = CommandConfiguration(commandName: "soc-validate", abstract: "Not built yet.", version: SOCTools.version)

    func run() throws {
        StandardError.write("soc-validate: not built yet\n")
        try Self.finish(with: .usage)
    }
}
