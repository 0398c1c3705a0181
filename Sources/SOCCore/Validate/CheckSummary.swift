/// The `--check` summary: records checked, valid, invalid, and a count per reason code.
public enum CheckSummary {
    public static func table(_ tally: Tally) -> String {
        var out = "soc-validate: \(tally.read) records checked: \(tally.written) valid, \(tally.rejected) invalid"
        if tally.removed > 0 { out += ", \(tally.removed) blank" }
        out += "\n"
        let rows = tally.reasons.sorted { $0.key < $1.key }
        guard !rows.isEmpty else { return out }
        let width = max(4, rows.map { $0.key.rawValue.count }.max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
        out += "| \(pad("code", width)) | count |\n"
        out += "| \(String(repeating: "-", count: width)) | ----: |\n"
        for (code, count) in rows {
            let number = String(count)
            out +=
                "| \(pad(code.rawValue, width)) | \(String(repeating: " ", count: max(0, 5 - number.count)))\(number) |\n"
        }
        return out
    }
}
