import Foundation
import SOCTestSupport
import Testing

/// The Spark driver (spark/soc_spark.py) on a local Spark (local[2], 4 partitions) against the
/// one-machine tools: its pytest suite, spark/tests, run with the project's Python environment
/// and these built executables. Skipped when the environment is missing, unless it is required
/// (scripts/test.sh), so it runs in CI.
@Suite(.serialized) struct SparkTests {
    private func pytest(_ file: String) throws {
        guard let python = PythonEnvironment.python else {
            #expect(!PythonEnvironment.isRequired, "the Python environment is missing: run scripts/pyenv.sh")
            return
        }
        let run = try ToolProcess.runCombined(
            python, ["-m", "pytest", "-q", "-p", "no:cacheprovider", "spark/tests/\(file)"],
            environment: ["SOC_BIN_DIR": ToolProcess.productsDirectory.path, "PYTHONDONTWRITEBYTECODE": "1"],
            in: Repository.root)
        #expect(run.status == 0, "pytest spark/tests/\(file):\n\(run.output.suffix(6000))")
    }

    /// Part 1: validate | scrub | dedup | filter and stats on Spark equal the one-machine pipe.
    @Test func pipelineOnSparkEqualsThePipe() throws { try pytest("test_pipeline.py") }

    /// Part 2: --groups components on Spark (sign --bands, verified pairs, large-star/small-star)
    /// equals the one-machine components run byte for byte.
    @Test func componentsOnSparkEqualOneMachine() throws { try pytest("test_components.py") }

    /// A chain whose data does not fit the executors' memory runs each tool once per partition
    /// (kept on disk, not recomputed through every earlier tool) and gives the same output.
    @Test func aChainLargerThanMemoryRunsEachToolOnce() throws { try pytest("test_memory.py") }
}
