import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// soc-stats' reader for large plain files: each file is mapped, cut at line boundaries into one
/// shard per core, and the shards are analysed at once, each with its own parser, then merged
/// (the same exact merge as `soc-stats merge`).
///
/// It keeps `RecordRunner`'s promises for what soc-stats uses (the same line splitting, `\\r\\n`,
/// blank lines removed as `empty_line`, `--max-line-bytes`, rejections with diagnostics in line
/// order, `--report`, exit statuses); runs that need `--rejects` or read pipes and compressed
/// files go through `RecordRunner` instead (`applies`).
public enum ParallelStatsRun {
    /// Files smaller than this are read by `RecordRunner` (threads would not pay off).
    public static let minimumBytes = 16 << 20

    /// True when every input is a plain regular file, together large enough, and no rejects file is asked for.
    public static func applies(_ configuration: RunConfiguration, threads: Int) -> Bool {
        guard threads > 1, configuration.rejects == nil, configuration.removed == nil else { return false }
        var total = 0
        for input in configuration.inputs {
            if input.isStandardInput || input.path.hasSuffix(".gz") || input.path.hasSuffix(".zst") || input.path.hasSuffix(".zstd") { return false }
            guard let size = input.size else { return false }
            total += size
        }
        return total >= minimumBytes
    }

    /// What one shard found.
    struct ShardResult {
        var stats = StatsDocument()
        var lines = 0
        var consumed = 0
        var empty = 0
        var rejected: [ReasonCode: Int] = [:]
        /// The first rejections (line number within the shard), at most `diagnosisLimit` per code.
        var diagnoses: [(line: Int, diagnosis: Diagnosis)] = []
    }

    static let diagnosisLimit = 20
    /// Shards per thread (see `run`).
    static let shardsPerThread = 4

    /// Hands out shard numbers to the threads, each once.
    final class ShardQueue: @unchecked Sendable {
        private var next = 0
        private let count: Int
        private var mutex = pthread_mutex_t()

        init(count: Int) {
            self.count = count
            pthread_mutex_init(&mutex, nil)
        }

        deinit { pthread_mutex_destroy(&mutex) }

        /// The next shard to analyse, or nil when all are taken.
        func take() -> Int? {
            pthread_mutex_lock(&mutex)
            defer { pthread_mutex_unlock(&mutex) }
            guard next < count else { return nil }
            next += 1
            return next - 1
        }
    }

    /// What the shard threads share: the read-only mapping and one result slot each.
    struct ShardJob: @unchecked Sendable {
        let file: UnsafeRawBufferPointer
        let bounds: [Int]
        let slots: UnsafeMutableBufferPointer<ShardResult>
        let maxDepth: Int
        let maxLineBytes: Int
        let queue: ShardQueue
    }

    /// Runs over all inputs, then lets `stage` write its output; returns the exit status.
    public static func run(_ configuration: RunConfiguration, stage: StatsStage, threads: Int) -> ExitStatus {
        var tally = Tally()
        let printer = DiagnosticPrinter(tool: configuration.tool, format: configuration.diagnosticFormat)
        var unshown = 0
        var ioFailed = false
        for input in configuration.inputs {
            let fd = open(input.path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else {
                StandardError.write("\(configuration.tool): \(input.path): cannot open: \(errnoText())\n")
                ioFailed = true
                continue
            }
            defer { close(fd) }
            var info = stat()
            guard fstat(fd, &info) == 0 else { ioFailed = true; continue }
            let size = Int(info.st_size)
            guard size > 0 else { continue }
            guard let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), mapping != MAP_FAILED else {
                StandardError.write("\(configuration.tool): \(input.path): cannot map: \(errnoText())\n")
                ioFailed = true
                continue
            }
            defer { munmap(mapping, size) }
            _ = madvise(mapping, size, MADV_SEQUENTIAL)
            let file = UnsafeRawBufferPointer(start: mapping, count: size)
            // More shards than threads, handed out one at a time: a thread slowed down by other
            // work on the machine takes fewer shards instead of holding up the end.
            let bounds = shardBounds(file, shards: threads * shardsPerThread)
            var results = [ShardResult](repeating: ShardResult(), count: bounds.count - 1)
            results.withUnsafeMutableBufferPointer { slots in
                // Each shard writes only its own slot and reads the mapping: safe to share.
                let job = ShardJob(file: file, bounds: bounds, slots: slots, maxDepth: configuration.maxDepth, maxLineBytes: configuration.maxLineBytes, queue: ShardQueue(count: slots.count))
                DispatchQueue.concurrentPerform(iterations: Swift.min(threads, slots.count)) { _ in
                    while let k = job.queue.take() {
                        job.slots[k] = analyse(job.file, from: job.bounds[k], to: job.bounds[k + 1], maxDepth: job.maxDepth, maxLineBytes: job.maxLineBytes)
                    }
                }
            }
            var lineBase = 0
            for result in results {
                for (line, diagnosis) in result.diagnoses {
                    printer.report(diagnosis, at: RecordLocation(file: input.displayName, line: lineBase + line))
                }
                unshown += result.rejected.values.reduce(0, +) - result.diagnoses.count
                lineBase += result.lines
                for _ in 0..<result.lines { tally.countRead() }
                for _ in 0..<result.consumed { tally.countWritten(modified: false) }
                for _ in 0..<result.empty { tally.countRemoved(.emptyLine) }
                for (code, n) in result.rejected { for _ in 0..<n { tally.countRejected(code) } }
                stage.absorb(result.stats)
            }
        }
        do {
            try stage.finish(tally: tally)
        } catch OutputError.brokenPipe {
            return .success
        } catch {
            StandardError.write("\(configuration.tool): \(error)\n")
            return .ioError
        }
        printer.finish()
        if unshown > 0 { StandardError.write("\(configuration.tool): \(unshown) more diagnostics not shown\n") }
        precondition(tally.isBalanced, "accounting does not add up")
        if let reportPath = configuration.report {
            let report = RunReport(tool: configuration.tool, tally: tally, inputs: configuration.inputs.map(\.displayName), extras: stage.reportExtras)
            do throws(OutputError) {
                let sink = try OutputSink.file(reportPath)
                try sink.write(report.json.prettyPrinted() + "\n")
                try sink.commit()
            } catch {
                StandardError.write("\(configuration.tool): \(error)\n")
                return .ioError
            }
        }
        if ioFailed { return .ioError }
        if tally.rejected > 0 {
            StandardError.write("\(configuration.tool): \(tally.rejected) line(s) rejected; use --rejects FILE to keep them\n")
            return .dataFailure
        }
        return .success
    }

    /// Pages of the mapping are given back after this many bytes are read.
    static let releaseBytes = 4 << 20

    /// Drops the whole pages of `[released, upTo)` from memory (they are re-read if touched again).
    static func release(_ base: UnsafeRawPointer, from released: inout Int, to upTo: Int, pageSize: Int) {
        let end = upTo / pageSize * pageSize
        guard end > released else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + released), end - released, MADV_DONTNEED)
        released = end
    }

    /// Offsets cutting `file` into up to `shards` pieces, each starting at the beginning of a line.
    static func shardBounds(_ file: UnsafeRawBufferPointer, shards: Int) -> [Int] {
        var bounds = [0]
        for k in 1..<shards {
            var cut = Swift.max(file.count * k / shards, bounds.last!)
            guard cut < file.count else { break }
            if let hit = memchr(file.baseAddress! + cut, 10, file.count - cut) {
                cut = file.baseAddress!.distance(to: UnsafeRawPointer(hit)) + 1
            } else {
                cut = file.count
            }
            if cut > bounds.last! && cut < file.count { bounds.append(cut) }
        }
        bounds.append(file.count)
        return bounds
    }

    /// Reads the lines of `file[start..<end]` as `LineReader` and `RecordRunner` would.
    static func analyse(_ file: UnsafeRawBufferPointer, from start: Int, to end: Int, maxDepth: Int, maxLineBytes: Int) -> ShardResult {
        var result = ShardResult()
        let parser = JSONParser(maxDepth: maxDepth)
        let base = file.baseAddress!
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        var released = start / pageSize * pageSize
        var shown: [ReasonCode: Int] = [:]
        var position = start
        func reject(_ diagnosis: Diagnosis) {
            result.rejected[diagnosis.code, default: 0] += 1
            if shown[diagnosis.code, default: 0] < diagnosisLimit {
                shown[diagnosis.code, default: 0] += 1
                result.diagnoses.append((result.lines, diagnosis))
            }
        }
        while position < end {
            let newline = memchr(base + position, 10, end - position).map { base.distance(to: UnsafeRawPointer($0)) } ?? end
            var lineEnd = newline
            if lineEnd > position && file[lineEnd - 1] == 13 { lineEnd -= 1 }
            let line = UnsafeRawBufferPointer(start: base + position, count: lineEnd - position)
            position = newline + 1
            result.lines += 1
            if line.count > maxLineBytes {
                reject(Diagnosis(code: .lineTooLong, message: "line of \(line.count) bytes is longer than --max-line-bytes \(maxLineBytes); skipped"))
                continue
            }
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                result.empty += 1
                continue
            }
            switch parser.parse(line) {
            case .failure(let error):
                reject(Diagnosis(code: error.code, message: error.message))
            case .success(let document):
                if let diagnosis = StatsStage.add(document, to: &result.stats) {
                    reject(diagnosis)
                } else {
                    result.consumed += 1
                }
            }
            // Give back pages already read, so that resident memory does not grow with the file.
            if position - released >= releaseBytes {
                release(base, from: &released, to: Swift.min(position, end), pageSize: pageSize)
            }
        }
        release(base, from: &released, to: end, pageSize: pageSize)
        return result
    }
}
