/// Renders the figures as one self-contained HTML page: inline CSS, tables, and an inline SVG
/// histogram (10 equal-width bins over [min, max]) for every numeric figure. No external assets.
public enum HTMLReport {
    public static func render(_ stats: StatsDocument, funnel: CleaningFunnel? = nil) -> String {
        typealias R = ReportContent
        var body = ""
        let sources = stats.inputs.map(escape).joined(separator: ", ")
        body +=
            "<header><h1>Dataset statistics</h1><p>soc-stats \(SOCTools.version)\(sources.isEmpty ? "" : " · \(sources)")</p></header>\n"
        var cards: [(String, String)] = [
            ("Records", R.integer(stats.records)), ("size_categories", StatsDocument.sizeCategory(stats.records)),
        ]
        let c = stats.chats
        if c.records > 0 {
            cards += [
                ("Chats", R.integer(c.records)), ("Messages", R.integer(c.totalMessages)),
                ("Words", R.decimal(c.wordsPerChat.sum)),
            ]
        }
        if stats.personas.records > 0 { cards.append(("SPB personas", R.integer(stats.personas.records))) }
        if stats.other.records > 0 { cards.append(("Other records", R.integer(stats.other.records))) }
        body +=
            "<section class=\"cards\">"
            + cards.map {
                "<div class=\"card\"><div class=\"label\">\(escape($0.0))</div><div class=\"value\">\(escape($0.1))</div></div>"
            }.joined() + "</section>\n"

        if c.records > 0 {
            let figures = R.chatFigures(c).filter { $0.accumulator.count > 0 }
            body +=
                "<h2>Chats</h2>\n<p class=\"note\">Names are the figures' paths in the JSON output, for <code>--require 'turns.p50&gt;=8'</code>; quantiles are read from fixed histogram bins (exact below 32, else within 1/16).</p>\n"
                + figureTable(figures) + histograms(figures)
            let m = c.totalMessages
            body += "<h2>Speakers</h2>\n<div class=\"scroll\"><table><tr><th>Figure</th><th>Value</th><th></th></tr>\n"
            // Persona figures only where there are SOC chats (OpenAI / ShareGPT chats have roles).
            if c.flatChats < c.records {
                body += shareRow("Messages by persona1", c.persona1Messages, m)
                body += shareRow("Messages by persona2", c.persona2Messages, m)
                if c.otherSenderMessages > 0 {
                    body += shareRow("Messages by another sender id", c.otherSenderMessages, m)
                }
                body += shareRow("Chats opened by persona1", c.persona1FirstChats, c.records)
            }
            if c.flatChats > 0 { body += shareRow("OpenAI / ShareGPT chats", c.flatChats, c.records) }
            body += shareRow("Chats with one speaker only", c.singleSpeakerChats, c.records)
            body += "</table></div>\n"
            if c.flatChats > 0 { body += categoryTable("Messages by role (OpenAI / ShareGPT)", c.roles, limit: 10) }
            body +=
                "<h2>Tags</h2>\n<div class=\"scroll\"><table><tr><th>Tag</th><th class=\"n\">Occurrences</th><th class=\"n\">Messages</th><th class=\"n\">Chats</th><th>Share of chats</th></tr>\n"
            for tag in ChatTag.allCases {
                let t = c.tags[tag.rawValue]
                let label = tagLabel(tag)
                body +=
                    "<tr><td><code>\(escape(label))</code></td><td class=\"n\">\(R.integer(t.occurrences))</td><td class=\"n\">\(R.integer(t.messages)) (\(R.percent(t.messages, m)))</td><td class=\"n\">\(R.integer(t.chats)) (\(R.percent(t.chats, c.records)))</td><td>\(bar(t.chats, c.records))</td></tr>\n"
            }
            body += "</table></div>\n"
            body +=
                "<div class=\"hists\"><figure><figcaption>Chats holding each tag</figcaption>"
                + SVGChart.bars(
                    ChatTag.allCases.map { (label: tagLabel($0), count: c.tags[$0.rawValue].chats) }.sorted {
                        $0.count != $1.count ? $0.count > $1.count : $0.label < $1.label
                    }, title: "Chats holding each tag", category: "tag", counted: "chats", total: c.records)
                + "</figure></div>\n"
            body +=
                "<p><code>&lt;end/&gt;</code> in the last part: \(R.integer(c.endInLastPartChats)) chats (\(R.percent(c.endInLastPartChats, c.records))); closing the last message: \(R.integer(c.endAtEndChats)) (\(R.percent(c.endAtEndChats, c.records))).</p>\n"
            body +=
                "<h2>Personas in chats</h2>\n<p>Counted per appearance (two per chat). Distinct persona ids: \(R.integer(c.personas.ids.distinct))\(c.personas.ids.isExact ? "" : " (estimated)"); null <code>username</code>: \(R.percent(c.personas.usernameNull, c.personas.records)).</p>\n"
            let personaFigures = Array(R.personaFigures(c.personas, prefix: "personas").prefix(2)).filter {
                $0.accumulator.count > 0
            }
            body += figureTable(personaFigures) + histograms(personaFigures)
            body +=
                "<div class=\"row\">" + categoryTable("Most common traits", c.personas.traits, limit: 15)
                + categoryTable("Chat model", c.models, limit: 10) + "</div>\n"
            body += categoryCharts([
                ("Most common traits", "trait", "persona appearances", c.personas.traits, 15),
                ("Chat model", "model", "chats", c.models, 10),
            ])
        }
        let p = stats.personas
        if p.records > 0 {
            body +=
                "<h2>SPB personas</h2>\n<p>Distinct ids: \(R.integer(p.ids.distinct))\(p.ids.isExact ? "" : " (estimated)"); duplicate ids: \(R.integer(p.duplicateIDs)); null <code>username</code>: \(R.percent(p.usernameNull, p.records)).</p>\n"
            let figures = R.personaFigures(p, prefix: "spb").filter { $0.accumulator.count > 0 }
            body += figureTable(figures) + histograms(figures)
            body +=
                "<div class=\"row\">" + categoryTable("Most common traits", p.traits, limit: 15)
                + categoryTable("Persona model", p.models, limit: 10) + "</div>\n"
            body += categoryCharts([
                ("Most common traits", "trait", "personas", p.traits, 15),
                ("Persona model", "model", "personas", p.models, 10),
            ])
        }
        let g = stats.other
        if g.records > 0 {
            body +=
                "<h2>Other records</h2>\n<div class=\"scroll\"><table><tr><th>Key</th><th class=\"n\">Records</th><th>Share</th><th>Types</th></tr>\n"
            for entry in g.keys.sorted.prefix(50) {
                let counts = g.types[entry.value] ?? []
                let types = GenericStats.typeNames.indices.filter { $0 < counts.count && counts[$0] > 0 }.map {
                    "\(GenericStats.typeNames[$0]) \(R.integer(counts[$0]))"
                }
                body +=
                    "<tr><td><code>\(escape(entry.value))</code></td><td class=\"n\">\(R.integer(entry.count))</td><td>\(bar(entry.count, g.records))</td><td>\(escape(types.joined(separator: ", ")))</td></tr>\n"
            }
            body += "</table></div>\n"
            body += categoryCharts([("Most common keys", "key", "records", g.keys, 15)])
        }
        if let funnel { body += FunnelReport.htmlSection(funnel) }
        return page(title: "Dataset statistics", body: body)
    }

    /// A whole page around `body`: inline style, no script, no external asset.
    static func page(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>\(style)</style></head>
        <body>
        \(body)</body></html>

        """
    }

    static let style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:24px auto;max-width:1100px;padding:0 16px}
        header p{color:#59636e;margin-top:-8px;overflow-wrap:anywhere}h1{font-size:24px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #d1d9e0;padding-bottom:4px}
        .cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #d1d9e0;border-radius:6px;padding:8px 14px;min-width:110px}
        .card .label{color:#59636e;font-size:12px}.card .value{font-size:20px;font-weight:600}
        .scroll{max-width:100%;overflow-x:auto}table{border-collapse:collapse;margin:8px 0}th,td{padding:3px 10px;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:middle}
        th{background:#f6f8fa;font-weight:600}.n{text-align:right;font-variant-numeric:tabular-nums}
        .hists{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,300px),1fr));gap:12px;margin:12px 0;align-items:start}
        figure{margin:0;border:1px solid #d1d9e0;border-radius:6px;padding:8px;min-width:0}figcaption{font-size:12px;color:#59636e;margin-bottom:4px}
        .note,.constant{color:#59636e;font-size:13px}.row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}.row>*{min-width:0;max-width:100%}code{font-size:13px;overflow-wrap:anywhere}
        svg.chart{width:100%;height:auto;display:block}svg text{font:10px system-ui,sans-serif;fill:#59636e}svg .x-label,svg .y-label{font-weight:600;fill:#1f2328}
        svg .bar{fill:#4f8fdc}svg .bar.special{fill:#9a6fd6}svg .axis{stroke:#8c959f}svg .grid{stroke:#eaeef2}
        svg .marker{stroke:#cf222e;stroke-dasharray:3 2}svg .marker.p90{stroke:#bc4c00}svg .marker-label{fill:#cf222e;font-weight:600}
        table.figures td:first-child{min-width:9em}table.figures code{font-size:12px;color:#59636e;overflow-wrap:normal}
        @media (max-width:600px){body{margin:12px auto;padding:0 10px}table{font-size:13px}th,td{padding:2px 4px}.opt{display:none}table.figures td:first-child{min-width:7em}table.figures code{font-size:11px;overflow-wrap:anywhere}}
        """

    /// The figures' table: the label with the `--require` name under it, then the columns; on
    /// narrow screens mean, std and p99 are hidden (`.opt`) so that the rest fits.
    static func figureTable(_ figures: [ReportContent.Figure]) -> String {
        let optional: Set<String> = ["mean", "std", "p99"]
        let classes = ReportContent.figureColumns.map { optional.contains($0) ? "n opt" : "n" }
        var out =
            "<table class=\"figures\"><tr><th>Figure <span class=\"note\">(name)</span></th>"
            + zip(ReportContent.figureColumns, classes).map { "<th class=\"\($1)\">\($0)</th>" }.joined() + "</tr>\n"
        for figure in figures {
            out +=
                "<tr><td>\(escape(figure.label))<br><code>\(escape(figure.metric))</code></td>"
                + zip(ReportContent.figureCells(figure.accumulator), classes).map { "<td class=\"\($1)\">\($0)</td>" }
                .joined()
                + "</tr>\n"
        }
        return "<div class=\"scroll\">" + out + "</table></div>\n"
    }

    /// A chart per figure (or a sentence for a constant one), in a grid that wraps to one column.
    static func histograms(_ figures: [ReportContent.Figure]) -> String {
        "<div class=\"hists\">"
            + figures.map {
                "<figure><figcaption>\(escape($0.label)) <code>\(escape($0.metric))</code></figcaption>\(SVGChart.histogram($0.accumulator, quantity: $0.label.lowercased(), counted: $0.counted))</figure>"
            }.joined() + "</div>\n"
    }

    /// How a tag is named in tables and charts.
    static func tagLabel(_ tag: ChatTag) -> String {
        switch tag {
        case .unknown: return "other tags"
        case .illFormed: return "ill-formed tags (any name)"
        case .end: return "<end/>"
        case .delay: return "<delay/>"
        default: return "<\(tag.name)>"
        }
    }

    /// Sorted bar charts of categories (most frequent first), side by side where there is room.
    static func categoryCharts(
        _ charts: [(title: String, category: String, counted: String, counter: CategoryCounter, limit: Int)]
    ) -> String {
        let figures = charts.filter { $0.counter.total > 0 }.map { chart in
            "<figure><figcaption>\(escape(chart.title))</figcaption>"
                + SVGChart.bars(
                    chart.counter.sorted.prefix(chart.limit).map { (label: $0.value, count: $0.count) },
                    title: chart.title, category: chart.category, counted: chart.counted, total: chart.counter.total)
                + "</figure>"
        }
        return figures.isEmpty ? "" : "<div class=\"hists\">" + figures.joined() + "</div>\n"
    }

    static func shareRow(_ label: String, _ part: Int, _ whole: Int) -> String {
        "<tr><td>\(escape(label))</td><td class=\"n\">\(ReportContent.integer(part)) (\(ReportContent.percent(part, whole)))</td><td>\(bar(part, whole))</td></tr>\n"
    }

    /// A small horizontal bar showing `part / whole`.
    static func bar(_ part: Int, _ whole: Int) -> String {
        let fraction = whole > 0 ? Double(part) / Double(whole) : 0
        return
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"120\" height=\"10\" viewBox=\"0 0 120 10\"><rect width=\"120\" height=\"10\" fill=\"#eaeef2\"/><rect width=\"\(fmt(120 * fraction))\" height=\"10\" fill=\"#4f8fdc\"/></svg>"
    }

    static func categoryTable(_ title: String, _ counter: CategoryCounter, limit: Int) -> String {
        guard counter.total > 0 else { return "" }
        var out = "<table><tr><th>\(escape(title))</th><th class=\"n\">Count</th><th>Share</th></tr>\n"
        for entry in counter.sorted.prefix(limit) {
            out +=
                "<tr><td>\(escape(entry.value))</td><td class=\"n\">\(ReportContent.integer(entry.count))\(entry.error > 0 ? " (±\(entry.error))" : "")</td><td>\(bar(entry.count, counter.total)) \(ReportContent.percent(entry.count, counter.total))</td></tr>\n"
        }
        return "<div class=\"scroll\">" + out + "</table></div>"
    }

    static func fmt(_ value: Double) -> String { ReportContent.decimal(value).replacingAll(",", "") }

    /// Escapes text for HTML content and attribute values.
    static func escape(_ text: String) -> String {
        // By scalar, not Character: `"` followed by a combining mark is one Character.
        var out = ""
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
