#if canImport(Glibc)
    import Glibc
#endif

/// `soc-stats merge`: reads shard JSON outputs, merges them and writes the whole's figures.
public enum StatsMerger {
    /// Merges the JSON documents in `files` (in order); the merged inputs list is theirs, concatenated.
    public static func merge(_ texts: [(name: String, bytes: [UInt8])]) throws(StatsFormatError) -> StatsDocument {
        var merged = StatsDocument()
        for (name, bytes) in texts {
            let json: JSONValue
            switch JSONValue.parse(bytes) {
            case .success(let value): json = value
            case .failure(let error): throw StatsFormatError("\(name): not JSON: \(error.message)")
            }
            do {
                merged.merge(try StatsJSONReader.document(json))
            } catch {
                throw StatsFormatError("\(name): \(error.message)")
            }
        }
        return merged
    }

    /// Reads, merges, checks the gates (reported through `report`) and writes; returns the exit status.
    public static func run(
        files: [String], output: String, format: StatsFormat, requirements: [StatsRequirement],
        funnel: CleaningFunnel? = nil, card: DatasetCard.Settings = .init(), report: ([String]) -> Void
    ) -> ExitStatus {
        var texts: [(name: String, bytes: [UInt8])] = []
        for file in files {
            do throws(InputError) {
                texts.append((file, try InputFile(file).readAll()))
            } catch {
                DiagnosticChannel.shared.say("\(error)", level: .error, code: "io_error", tool: "soc-stats")
                return .ioError
            }
        }
        let merged: StatsDocument
        do {
            merged = try merge(texts)
        } catch {
            // A file that is not a soc-stats output (or holds impossible figures, such as a
            // negative count) is a bad argument, like a bad schema: a usage error.
            DiagnosticChannel.shared.say(error.message, level: .error, code: "usage", tool: "soc-stats")
            return .usage
        }
        let json = StatsJSONWriter.json(merged)
        let failures = requirements.compactMap { $0.failure(in: json) }
        do throws(OutputError) {
            let sink = try OutputSink.file(output)
            try sink.write(
                format == .json ? json.prettyPrinted() + "\n" : format.render(merged, funnel: funnel, card: card))
            try sink.commit()
        } catch .brokenPipe {
            return .success
        } catch {
            DiagnosticChannel.shared.say("\(error)", level: .error, code: "io_error", tool: "soc-stats")
            return .ioError
        }
        report(failures)
        return failures.isEmpty ? .success : .dataFailure
    }

    /// Reads `--report` files into a funnel; an unreadable file is an I/O error (status 3), one
    /// that is not a report or cannot be chained (`--check`) a usage error (status 2).
    public static func loadFunnel(_ files: [String]) throws(RunFailure) -> CleaningFunnel {
        var reports: [(name: String, bytes: [UInt8])] = []
        for file in files {
            do throws(InputError) {
                reports.append((file, try InputFile(file).readAll()))
            } catch {
                throw RunFailure(.ioError, "\(error)")
            }
        }
        do {
            return try CleaningFunnel.load(reports)
        } catch {
            throw RunFailure(.usage, error.message)
        }
    }

    /// `soc-stats funnel`: writes the funnel of `files`; status 1 (after writing it) when the
    /// stages do not chain, each break on stderr.
    public static func runFunnel(files: [String], output: String, format: StatsFormat) throws(RunFailure) {
        let funnel = try loadFunnel(files)
        do throws(OutputError) {
            let sink = try OutputSink.file(output)
            try sink.write(FunnelReport.render(funnel, format: format))
            try sink.commit()
        } catch .brokenPipe {
            return
        } catch {
            throw RunFailure(.ioError, "\(error)")
        }
        for problem in funnel.breaks {
            DiagnosticChannel.shared.say("funnel: \(problem)", level: .error, code: "funnel", tool: "soc-stats")
        }
        if !funnel.breaks.isEmpty { throw RunFailure(.dataFailure, "") }
    }
}
