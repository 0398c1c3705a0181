import Foundation
import SOCTestSupport
import Testing

/// soc-stats under hostile figures, text and arguments (issue 11, items 2, 15, 16).
@Suite struct StatsHardeningTests {
    @Test(arguments: ["md", "html"])
    func figuresPast1e17Print(format: String) throws {
        let dir = try TemporaryDirectory()
        let input = try dir.write(
            "big.jsonl",
            """
            {"traits":["a","b","c"],"age":1e17}
            {"chat_parts":[{"sender":"p1","messages":["<delay days=\\"999999999999999\\"/>"]}],"persona1":{"id":"p1"},"persona2":{"id":"p2"}}

            """)
        let outcome = try ToolProcess.run("soc-stats", [input, "--format", format])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdoutText.contains("1e+17"))
        #expect(outcome.stdoutText.contains("1.4399999999999985e+18"))  // 999,999,999,999,999 days in minutes
    }

    @Test func helpMergeShowsMergesHelp() throws {
        let outcome = try ToolProcess.run("soc-stats", ["help", "merge"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdoutText.contains("Merge soc-stats JSON outputs"))
        #expect(!outcome.stderr.contains("help"))
        let general = try ToolProcess.run("soc-stats", ["help"])
        #expect(general.status == 0)
        #expect(general.stdoutText.contains("--require"))
        let unknown = try ToolProcess.run("soc-stats", ["help", "nothing"])
        #expect(unknown.status == 2)
    }

    @Test func markdownEscapesHTMLFromTheData() throws {
        let dir = try TemporaryDirectory()
        let persona =
            #"{"id":"x","name":"<script>alert(1)</script>","traits":["<img src=x onerror=alert(1)>"],"model":"<script>m</script>","age":30}"#
        let input = try dir.write("p.jsonl", persona + "\n" + #"{"<b>key</b>":1}"# + "\n")
        let outcome = try ToolProcess.run("soc-stats", [input, "--format", "md"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let text = outcome.stdoutText
        #expect(!text.contains("<script>"))
        #expect(!text.contains("<img"))
        #expect(text.contains("&lt;script&gt;m&lt;/script&gt;"))
        // A key stays inside a code span, where Markdown shows it as text.
        #expect(text.contains("`<b>key</b>`"))
    }
}
