/// The `--check` summary: records checked, valid, invalid, and a count per reason code.
public enum CheckSummary {
    /// The first line: `N records checked: V valid, I invalid`.
    public static func headline(_ tally: Tally) -> String {
        var out = "\(tally.read) records checked: \(tally.written) valid, \(tally.rejected) invalid"
        if tally.removed > 0 { out += ", \(tally.removed) blank" }
        return out
    }

    /// The summary as text: the headline, then a Markdown table of the reason codes.
    public static func table(_ tally: Tally) -> String {
        var out = "soc-validate: \(headline(tally))"
        let rows = tally.reasons.sorted { $0.key < $1.key }
        guard !rows.isEmpty else { return out }
        let width = max(4, rows.map { $0.key.rawValue.count }.max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        out += "\n| \(pad("code", width)) | count |"
        out += "\n| \(String(repeating: "-", count: width)) | ----: |"
        for (code, count) in rows {
            let number = String(count)
            out +=
                "\n| \(pad(code.rawValue, width)) | \(String(repeating: " ", count: max(0, 5 - number.count)))\(number) |"
        }
        return out
    }

    /// The summary as diagnostic lines (json, sarif): the headline, then one line per reason code.
    public static func lines(_ tally: Tally) -> [DiagnosticLine] {
        let headline = DiagnosticLine(
            tool: "soc-validate", level: .note, subject: .tool, code: "check_summary", message: headline(tally))
        return [headline]
            + tally.reasons.sorted { $0.key < $1.key }.map { code, count in
                DiagnosticLine(
                    tool: "soc-validate", level: .note, subject: .tool, code: code.rawValue,
                    message: "\(count) record(s): \(code)")
            }
    }
}
