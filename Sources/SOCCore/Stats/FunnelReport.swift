/// Renders a `CleaningFunnel` as Markdown (a table, for a dataset card), HTML (a table and a
/// chart of the lines left after each step) or JSON.
public enum FunnelReport {
    /// The funnel in `format` (`card` is Markdown).
    public static func render(_ funnel: CleaningFunnel, format: StatsFormat) -> String {
        switch format {
        case .json: return funnel.json.prettyPrinted() + "\n"
        case .html: return html(funnel)
        case .md, .card: return "## Cleaning\n\n" + markdownTable(funnel)
        }
    }

    /// The funnel's table: one row per step with the lines it took and the lines left.
    public static func markdownTable(_ funnel: CleaningFunnel) -> String {
        typealias R = ReportContent
        var out = "| Step | Lines | Left |\n|---|---:|---:|\n"
        var left = funnel.read
        for step in funnel.steps {
            switch step.kind {
            case .read:
                out +=
                    "| read by \(MarkdownReport.escape(step.tool)) | \(R.integer(step.count)) | \(R.integer(step.count)) |\n"
            case .rejected, .removed:
                left -= step.count
                out +=
                    "| \(MarkdownReport.escape(step.tool)) \(step.kind == .rejected ? "rejected" : "removed") \(MarkdownReport.codeSpan(step.code ?? "")) | −\(R.integer(step.count)) | \(R.integer(left)) |\n"
            case .written:
                left = step.count
                out +=
                    "| written by \(MarkdownReport.escape(step.tool))\(modified(step)) | \(R.integer(step.count)) | \(R.integer(step.count)) |\n"
            }
        }
        let kept = R.percent(funnel.written, funnel.read)
        out +=
            "\n\(R.integer(funnel.read)) lines read, \(R.integer(funnel.written)) written (\(kept)) by \(funnel.stages.count) stage\(funnel.stages.count == 1 ? "" : "s"): "
        out += funnel.stages.map { MarkdownReport.escape($0.tool) }.joined(separator: " → ") + ".\n"
        for problem in funnel.breaks { out += "\n**The reports do not chain:** \(MarkdownReport.escape(problem)).\n" }
        return out
    }

    /// ` (28 modified)` after the lines written by a stage that changed some.
    static func modified(_ step: CleaningFunnel.Step) -> String {
        step.modified > 0 ? " (\(ReportContent.integer(step.modified)) modified)" : ""
    }

    /// The funnel's HTML section (a heading, a table and the chart).
    static func htmlSection(_ funnel: CleaningFunnel) -> String {
        typealias R = ReportContent
        let e = HTMLReport.escape
        var out =
            "<h2>Cleaning</h2>\n<div class=\"scroll\"><table><tr><th>Step</th><th class=\"n\">Lines</th><th class=\"n\">Left</th></tr>\n"
        var left = funnel.read
        var remaining: [(label: String, count: Int)] = []
        for step in funnel.steps {
            let label: String
            let lines: String
            switch step.kind {
            case .read:
                label = "read by \(step.tool)"
                lines = R.integer(step.count)
                left = step.count
                remaining.append((label: "read", count: left))
            case .rejected, .removed:
                left -= step.count
                label = "\(step.tool) \(step.kind == .rejected ? "rejected" : "removed") \(step.code ?? "")"
                lines = "−" + R.integer(step.count)
            case .written:
                left = step.count
                label = "written by \(step.tool)\(modified(step))"
                lines = R.integer(step.count)
                remaining.append((label: "after \(step.tool)", count: left))
            }
            out +=
                "<tr><td>\(e(label))</td><td class=\"n\">\(lines)</td><td class=\"n\">\(R.integer(left))</td></tr>\n"
        }
        out += "</table></div>\n"
        for problem in funnel.breaks {
            out += "<p class=\"problem\"><strong>The reports do not chain:</strong> \(e(problem)).</p>\n"
        }
        out +=
            "<div class=\"hists\"><figure><figcaption>Lines left after each stage</figcaption>"
            + SVGChart.bars(
                remaining, title: "Lines left after each stage", category: "stage", counted: "lines", total: funnel.read
            )
            + "</figure></div>\n"
        return out
    }

    static func html(_ funnel: CleaningFunnel) -> String {
        let reports = funnel.stages.map { HTMLReport.escape($0.report) }.joined(separator: ", ")
        return HTMLReport.page(
            title: "Cleaning funnel",
            body:
                "<header><h1>Cleaning funnel</h1><p>soc-stats \(SOCTools.version) · \(reports)</p></header>\n"
                + htmlSection(funnel))
    }
}
