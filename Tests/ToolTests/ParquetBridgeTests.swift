import Foundation
import SOCTestSupport
import Testing

/// `scripts/soc-parquet` (issue 13): the tested way in and out of Parquet. The valid records of
/// the shipped SOC sample go to Parquet and back and compare equal as parsed JSON values; what
/// the trip changes (docs/io.md) is pinned on a small record.
@Suite struct ParquetBridgeTests {
    static let bridge = Repository.root.appendingPathComponent("scripts/soc-parquet").path

    /// The shell prefix that runs the bridge with the project's Python, or nil to skip.
    static func bridgeCommand() -> String? {
        guard let python = PythonEnvironment.python else {
            if PythonEnvironment.isRequired { Issue.record("no .build/pyenv: run scripts/pyenv.sh") }
            return nil
        }
        return "SOC_PYTHON='\(python.path)' '\(bridge)'"
    }

    static func parsedLines(_ data: Data) throws -> NSArray {
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n")
        return try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) } as NSArray
    }

    @Test func theValidSampleRecordsRoundTripThroughParquet() throws {
        guard let parquet = Self.bridgeCommand() else { return }
        let dir = try TemporaryDirectory()
        let raw = Repository.root.appendingPathComponent("examples/raw.jsonl").path
        let valid = try ToolProcess.run("soc-validate", ["--rejects", "/dev/null", "-o", dir.path("valid.jsonl"), raw])
        #expect(valid.status == 0, "\(valid.stderr)")
        let validData = try Data(contentsOf: URL(fileURLWithPath: dir.path("valid.jsonl")))
        let records = try Self.parsedLines(validData)
        #expect(records.count > 40, "the sample's valid records")

        let write = try ToolProcess.shell(
            "\(parquet) from-jsonl '\(dir.path("valid.jsonl"))' -o '\(dir.path("valid.parquet"))'")
        #expect(write.status == 0, "\(write.stderr)")
        let magic = try Data(contentsOf: URL(fileURLWithPath: dir.path("valid.parquet"))).prefix(4)
        #expect(magic == Data("PAR1".utf8))

        let back = try ToolProcess.shell("\(parquet) to-jsonl '\(dir.path("valid.parquet"))'")
        #expect(back.status == 0, "\(back.stderr)")
        #expect((try Self.parsedLines(back.stdout)).isEqual(records), "the records changed on the way through Parquet")

        // The documented pipeline: the tools read what the bridge writes, and write what it reads.
        let pipeline = try ToolProcess.shell(
            "set -o pipefail; \(parquet) to-jsonl '\(dir.path("valid.parquet"))' | soc-validate | soc-filter --min-turns 1 | \(parquet) from-jsonl -o '\(dir.path("again.parquet"))' && \(parquet) to-jsonl '\(dir.path("again.parquet"))'"
        )
        #expect(pipeline.status == 0, "\(pipeline.stderr)")
        #expect((try Self.parsedLines(pipeline.stdout)).isEqual(records))

        // Given the Parquet file itself, a tool says how to convert it instead of rejecting "lines".
        let refused = try ToolProcess.run("soc-validate", [dir.path("valid.parquet")])
        #expect(refused.status == 3)
        #expect(refused.stderr.contains("looks like a Parquet file"), "\(refused.stderr)")
        #expect(refused.stderr.contains("soc-parquet to-jsonl"), "\(refused.stderr)")
    }

    /// What a trip through Parquet changes, as docs/io.md says: escapes are decoded, number text
    /// is Python's (an integer column that also holds 1.5 becomes double), keys follow the
    /// columns' order, and a key some records lack comes back as null in them.
    @Test func whatTheTripChanges() throws {
        guard let parquet = Self.bridgeCommand() else { return }
        let dir = try TemporaryDirectory()
        try dir.write(
            "odd.jsonl",
            #"{"a": 1, "c": "\u00e9\/", "n": 1.50, "e": 1e2}"# + "\n" + #"{"c": "x", "a": 2, "b": [1, 2], "n": 3}"#
                + "\n")
        let run = try ToolProcess.shell(
            "\(parquet) from-jsonl '\(dir.path("odd.jsonl"))' -o '\(dir.path("odd.parquet"))' && \(parquet) to-jsonl '\(dir.path("odd.parquet"))'"
        )
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stdoutLines == [
                #"{"a":1,"c":"é/","n":1.5,"e":100.0,"b":null}"#, #"{"a":2,"c":"x","n":3.0,"e":null,"b":[1,2]}"#,
            ])
    }

    /// Arrow types JSON lacks come out as the text docs/io.md gives; a NaN stops with the row.
    @Test func arrowTypesWithoutAJSONFormAreWrittenAsText() throws {
        guard let parquet = Self.bridgeCommand(), let python = PythonEnvironment.python else { return }
        let dir = try TemporaryDirectory()
        let make = try ToolProcess.shell(
            """
            cd '\(dir.url.path)' && '\(python.path)' -c '
            import pyarrow as pa, pyarrow.parquet as pq, datetime, decimal
            t = pa.table({"when": pa.array([datetime.datetime(2025, 8, 1, 12, 30)], pa.timestamp("s")),
                "day": pa.array([datetime.date(2025, 8, 1)]), "raw": pa.array([b"\\x00\\x01hi"]),
                "price": pa.array([decimal.Decimal("12.50")], pa.decimal128(10, 2))})
            pq.write_table(t, "types.parquet")
            pq.write_table(t.append_column("f", pa.array([float("nan")])), "nan.parquet")'
            """)
        #expect(make.status == 0, "\(make.stderr)")
        let run = try ToolProcess.shell("\(parquet) to-jsonl '\(dir.path("types.parquet"))'")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            run.stdoutLines == [#"{"when":"2025-08-01T12:30:00","day":"2025-08-01","raw":"AAFoaQ==","price":12.5}"#])
        let nan = try ToolProcess.shell("\(parquet) to-jsonl '\(dir.path("nan.parquet"))'")
        #expect(nan.status == 1)
        #expect(nan.stderr.contains("nan.parquet: row 1: a NaN or infinite float has no JSON form"), "\(nan.stderr)")
    }

    /// Records Parquet cannot hold stop the bridge with status 1 and a line number, writing nothing.
    @Test func recordsParquetCannotHoldAreRefused() throws {
        guard let parquet = Self.bridgeCommand() else { return }
        let dir = try TemporaryDirectory()
        let cases = [
            (#"{"a": "\ud800"}"#, "lone surrogate"), (#"{"a": 1}"# + "\n" + #"{"a": "x"}"#, "no Parquet column type"),
            ("{not json", "malformed_json"), ("[1, 2]", "not an object"),
        ]
        for (text, needle) in cases {
            try dir.write("in.jsonl", text + "\n")
            let run = try ToolProcess.shell(
                "\(parquet) from-jsonl '\(dir.path("in.jsonl"))' -o '\(dir.path("out.parquet"))'")
            #expect(run.status == 1, "\(text): \(run.stderr)")
            #expect(run.stderr.contains(needle), "\(text): \(run.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.path("out.parquet")))
            let left = try FileManager.default.contentsOfDirectory(atPath: dir.url.path)
            #expect(!left.contains { $0.contains(".tmp-") }, "\(left)")
        }
    }
}
