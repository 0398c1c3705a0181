/// Renders the figures as one self-contained HTML page: inline CSS, tables, and an inline SVG
/// histogram (10 equal-width bins over [min, max]) for every numeric figure. No external assets.
public enum HTMLReport {
    public static func render(_ stats: StatsDocument) -> String {
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
            body += "<h2>Speakers</h2>\n<table><tr><th>Figure</th><th>Value</th><th></th></tr>\n"
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
            body += "</table>\n"
            if c.flatChats > 0 { body += categoryTable("Messages by role (OpenAI / ShareGPT)", c.roles, limit: 10) }
            body +=
                "<h2>Tags</h2>\n<table><tr><th>Tag</th><th class=\"n\">Occurrences</th><th class=\"n\">Messages</th><th class=\"n\">Chats</th><th>Share of chats</th></tr>\n"
            for tag in ChatTag.allCases {
                let t = c.tags[tag.rawValue]
                let label =
                    tag == .unknown
                    ? "other tags"
                    : tag == .illFormed
                        ? "ill-formed tags (any name)"
                        : tag == .end ? "<end/>" : tag == .delay ? "<delay/>" : "<\(tag.name)>"
                body +=
                    "<tr><td><code>\(escape(label))</code></td><td class=\"n\">\(R.integer(t.occurrences))</td><td class=\"n\">\(R.integer(t.messages)) (\(R.percent(t.messages, m)))</td><td class=\"n\">\(R.integer(t.chats)) (\(R.percent(t.chats, c.records)))</td><td>\(bar(t.chats, c.records))</td></tr>\n"
            }
            body +=
                "</table>\n<p><code>&lt;end/&gt;</code> in the last part: \(R.integer(c.endInLastPartChats)) chats (\(R.percent(c.endInLastPartChats, c.records))); closing the last message: \(R.integer(c.endAtEndChats)) (\(R.percent(c.endAtEndChats, c.records))).</p>\n"
            body +=
                "<h2>Personas in chats</h2>\n<p>Counted per appearance (two per chat). Distinct persona ids: \(R.integer(c.personas.ids.distinct))\(c.personas.ids.isExact ? "" : " (estimated)"); null <code>username</code>: \(R.percent(c.personas.usernameNull, c.personas.records)).</p>\n"
            let personaFigures = Array(R.personaFigures(c.personas, prefix: "personas").prefix(2)).filter {
                $0.accumulator.count > 0
            }
            body += figureTable(personaFigures) + histograms(personaFigures)
            body +=
                "<div class=\"row\">" + categoryTable("Most common traits", c.personas.traits, limit: 15)
                + categoryTable("Chat model", c.models, limit: 10) + "</div>\n"
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
        }
        let g = stats.other
        if g.records > 0 {
            body +=
                "<h2>Other records</h2>\n<table><tr><th>Key</th><th class=\"n\">Records</th><th>Share</th><th>Types</th></tr>\n"
            for entry in g.keys.sorted.prefix(50) {
                let counts = g.types[entry.value] ?? []
                let types = GenericStats.typeNames.indices.filter { $0 < counts.count && counts[$0] > 0 }.map {
                    "\(GenericStats.typeNames[$0]) \(R.integer(counts[$0]))"
                }
                body +=
                    "<tr><td><code>\(escape(entry.value))</code></td><td class=\"n\">\(R.integer(entry.count))</td><td>\(bar(entry.count, g.records))</td><td>\(escape(types.joined(separator: ", ")))</td></tr>\n"
            }
            body += "</table>\n"
        }
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Dataset statistics</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>\(style)</style></head>
            <body>
            \(body)</body></html>

            """
    }

    static let style = """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:24px auto;max-width:1100px;padding:0 16px}
        header p{color:#59636e;margin-top:-8px}h1{font-size:24px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #d1d9e0;padding-bottom:4px}
        .cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #d1d9e0;border-radius:6px;padding:8px 14px;min-width:110px}
        .card .label{color:#59636e;font-size:12px}.card .value{font-size:20px;font-weight:600}
        table{border-collapse:collapse;margin:8px 0}th,td{padding:3px 10px;border-bottom:1px solid #eaeef2;text-align:left;vertical-align:middle}
        th{background:#f6f8fa;font-weight:600}.n{text-align:right;font-variant-numeric:tabular-nums}
        .hists{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:12px;margin:12px 0}
        figure{margin:0;border:1px solid #d1d9e0;border-radius:6px;padding:8px}figcaption{font-size:12px;color:#59636e;margin-bottom:4px}
        .note{color:#59636e;font-size:13px}.row{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}code{font-size:13px}svg text{font:10px system-ui,sans-serif;fill:#59636e}
        """

    static func figureTable(_ figures: [ReportContent.Figure]) -> String {
        var out =
            "<table><tr><th>Figure</th><th>Name</th>"
            + ReportContent.figureColumns.map { "<th class=\"n\">\($0)</th>" }.joined() + "</tr>\n"
        for figure in figures {
            out +=
                "<tr><td>\(escape(figure.label))</td><td><code>\(escape(figure.metric))</code></td>"
                + ReportContent.figureCells(figure.accumulator).map { "<td class=\"n\">\($0)</td>" }.joined()
                + "</tr>\n"
        }
        return out + "</table>\n"
    }

    static func histograms(_ figures: [ReportContent.Figure]) -> String {
        "<div class=\"hists\">"
            + figures.map {
                "<figure><figcaption>\(escape($0.label))</figcaption>\(histogram($0.accumulator))</figure>"
            }.joined() + "</div>\n"
    }

    /// An SVG bar chart of 10 equal-width bins over [min, max], each bar titled with its range and count.
    static func histogram(_ a: NumericAccumulator) -> String {
        let bins = a.histogram.displayBins(10, minimum: a.minimum, maximum: a.maximum, integral: a.integral)
        guard !bins.isEmpty else { return "" }
        let width = 240.0
        let height = 110.0
        let left = 4.0
        let top = 14.0
        let bottom = 18.0
        let plot = height - top - bottom
        let highest = Swift.max(bins.map(\.count).max() ?? 1, 1)
        let step = (width - 2 * left) / Double(bins.count)
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"100%\" role=\"img\">"
        svg += "<text x=\"\(left)\" y=\"10\">max bin \(ReportContent.decimal(highest.rounded()))</text>"
        for (k, bin) in bins.enumerated() {
            let h = bin.count / highest * plot
            let x = left + Double(k) * step
            let range =
                a.integral && bin.upper - bin.lower <= 1
                ? ReportContent.decimal(bin.lower)
                : "\(ReportContent.decimal(bin.lower))–\(ReportContent.decimal(a.integral ? bin.upper - 1 : bin.upper))"
            svg +=
                "<rect x=\"\(fmt(x + 1))\" y=\"\(fmt(top + plot - h))\" width=\"\(fmt(step - 2))\" height=\"\(fmt(Swift.max(h, bin.count > 0 ? 1 : 0)))\" fill=\"#4f8fdc\"><title>\(escape(range)): \(ReportContent.decimal(bin.count.rounded()))</title></rect>"
        }
        svg +=
            "<line x1=\"\(left)\" y1=\"\(fmt(top + plot + 0.5))\" x2=\"\(fmt(width - left))\" y2=\"\(fmt(top + plot + 0.5))\" stroke=\"#8c959f\"/>"
        svg += "<text x=\"\(left)\" y=\"\(fmt(height - 4))\">\(ReportContent.decimal(a.minimum))</text>"
        svg +=
            "<text x=\"\(fmt(width - left))\" y=\"\(fmt(height - 4))\" text-anchor=\"end\">\(ReportContent.decimal(a.maximum))</text>"
        if let median = a.quantile(0.5) {
            svg +=
                "<text x=\"\(fmt(width / 2))\" y=\"\(fmt(height - 4))\" text-anchor=\"middle\">p50 \(ReportContent.decimal(median))</text>"
        }
        return svg + "</svg>"
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
        return out + "</table>"
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
