/// Renders the figures as a Markdown section to paste into a dataset card.
public enum MarkdownReport {
    /// `yamlHint`: end the summary with the `size_categories` lines for a card's YAML header
    /// (left out of a whole card, whose header has them).
    public static func render(_ stats: StatsDocument, yamlHint: Bool = true) -> String {
        typealias R = ReportContent
        var out = "## Dataset statistics\n\n"
        let sources = stats.inputs.isEmpty ? "" : " over " + stats.inputs.map(codeSpan).joined(separator: ", ")
        out += "Computed by soc-stats \(SOCTools.version)\(sources) in one pass.\n\n"
        out += "| Figure | Value |\n|---|---|\n"
        out += "| Records | \(R.integer(stats.records)) |\n"
        out += "| `size_categories` | `\(StatsDocument.sizeCategory(stats.records))` |\n"
        let c = stats.chats
        if c.records > 0 {
            out += "| Chats | \(R.integer(c.records)) |\n"
            out += "| Messages | \(R.integer(c.totalMessages)) |\n"
            out += "| Words | \(R.decimal(c.wordsPerChat.sum)) |\n"
        }
        if stats.personas.records > 0 { out += "| SPB personas | \(R.integer(stats.personas.records)) |\n" }
        if stats.other.records > 0 { out += "| Other records | \(R.integer(stats.other.records)) |\n" }
        if yamlHint {
            out +=
                "\nFor the card's YAML header:\n\n```yaml\nsize_categories:\n- \(StatsDocument.sizeCategory(stats.records))\n```\n"
        }

        if c.records > 0 {
            out += "\n### Chats\n\n" + figureTable(R.chatFigures(c).filter { $0.accumulator.count > 0 })
            let m = c.totalMessages
            out += "\n### Speakers\n\n| Figure | Value |\n|---|---|\n"
            // Persona figures only where there are SOC chats (OpenAI / ShareGPT chats have roles).
            if c.flatChats < c.records {
                out += "| Messages by persona1 | \(R.percent(c.persona1Messages, m)) |\n"
                out += "| Messages by persona2 | \(R.percent(c.persona2Messages, m)) |\n"
                if c.otherSenderMessages > 0 {
                    out += "| Messages by another sender id | \(R.percent(c.otherSenderMessages, m)) |\n"
                }
                out += "| Chats opened by persona1 | \(R.percent(c.persona1FirstChats, c.records)) |\n"
            }
            if c.flatChats > 0 {
                out +=
                    "| OpenAI / ShareGPT chats | \(R.integer(c.flatChats)) (\(R.percent(c.flatChats, c.records))) |\n"
            }
            if c.blankMessages > 0 {
                out += "| Blank messages (empty_message in soc-validate) | \(R.integer(c.blankMessages)) |\n"
            }
            out +=
                "| Chats with one speaker only | \(R.integer(c.singleSpeakerChats)) (\(R.percent(c.singleSpeakerChats, c.records))) |\n"
            if c.flatChats > 0 {
                out += "\n" + categoryTable("Messages by role (OpenAI / ShareGPT)", c.roles, limit: 10)
            }
            out += "\n### Tags\n\n| Tag | Occurrences | Messages | Chats |\n|---|---:|---:|---:|\n"
            for tag in ChatTag.allCases {
                let t = c.tags[tag.rawValue]
                let label =
                    tag == .unknown
                    ? "other tags"
                    : tag == .illFormed
                        ? "ill-formed tags (any name)"
                        : tag == .end ? "`<end/>`" : tag == .delay ? "`<delay/>`" : "`<\(tag.name)>`"
                out +=
                    "| \(label) | \(R.integer(t.occurrences)) | \(R.integer(t.messages)) (\(R.percent(t.messages, m))) | \(R.integer(t.chats)) (\(R.percent(t.chats, c.records))) |\n"
            }
            out +=
                "\n`<end/>` in the last part: \(R.integer(c.endInLastPartChats)) chats (\(R.percent(c.endInLastPartChats, c.records))); "
            out +=
                "closing the last message: \(R.integer(c.endAtEndChats)) (\(R.percent(c.endAtEndChats, c.records))).\n"
            out += "\n### Personas in chats\n\nCounted per appearance (two per chat). "
            out +=
                "Distinct persona ids: \(R.integer(c.personas.ids.distinct))\(c.personas.ids.isExact ? "" : " (estimated)"); "
            out += "null `username`: \(R.percent(c.personas.usernameNull, c.personas.records)).\n\n"
            out += figureTable(
                R.personaFigures(c.personas, prefix: "personas").prefix(2).filter { $0.accumulator.count > 0 })
            out += "\n" + categoryTable("Most common traits", c.personas.traits, limit: 15)
            out += "\n" + categoryTable("Chat `model`", c.models, limit: 10)
        }
        let p = stats.personas
        if p.records > 0 {
            out += "\n### SPB personas\n\n"
            out +=
                "Distinct ids: \(R.integer(p.ids.distinct))\(p.ids.isExact ? "" : " (estimated)"); duplicate ids: \(R.integer(p.duplicateIDs)); "
            out += "null `username`: \(R.percent(p.usernameNull, p.records)).\n\n"
            out += figureTable(R.personaFigures(p, prefix: "spb").filter { $0.accumulator.count > 0 })
            out += "\n" + categoryTable("Most common traits", p.traits, limit: 15)
            out += "\n" + categoryTable("Persona `model`", p.models, limit: 10)
        }
        let g = stats.other
        if g.records > 0 {
            out += "\n### Other records\n\n| Key | Records | Types |\n|---|---:|---|\n"
            for entry in g.keys.sorted.prefix(50) {
                let counts = g.types[entry.value] ?? []
                let types = GenericStats.typeNames.indices.filter { $0 < counts.count && counts[$0] > 0 }.map {
                    "\(GenericStats.typeNames[$0]) \(R.integer(counts[$0]))"
                }
                out +=
                    "| \(codeSpan(entry.value)) | \(R.integer(entry.count)) (\(R.percent(entry.count, g.records))) | \(types.joined(separator: ", ")) |\n"
            }
        }
        return out
    }

    static func figureTable<S: Sequence>(_ figures: S) -> String where S.Element == ReportContent.Figure {
        var out = "| Figure | " + ReportContent.figureColumns.joined(separator: " | ") + " |\n"
        out += "|---|" + String(repeating: "---:|", count: ReportContent.figureColumns.count) + "\n"
        for figure in figures {
            out +=
                "| \(figure.label) | " + ReportContent.figureCells(figure.accumulator).joined(separator: " | ") + " |\n"
        }
        return out
    }

    static func categoryTable(_ title: String, _ counter: CategoryCounter, limit: Int) -> String {
        guard counter.total > 0 else { return "" }
        var out = "| \(title) | Count | Share |\n|---|---:|---:|\n"
        for entry in counter.sorted.prefix(limit) {
            out +=
                "| \(escape(entry.value)) | \(ReportContent.integer(entry.count))\(entry.error > 0 ? " (±\(entry.error))" : "") | \(ReportContent.percent(entry.count, counter.total)) |\n"
        }
        return out
    }

    /// A value from the data as Markdown text: it can neither break the table nor reach the
    /// rendered card as HTML (`<script>` shows as text), nor start emphasis, links or code.
    static func escape(_ text: String) -> String {
        // By scalar, not Character: `<` followed by a combining mark is one Character.
        var out = ""
        for ch in text.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "|", "\\", "`", "*", "_", "[", "]": out += "\\" + String(ch)
            case "\n", "\r": out += " "
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// A value from the data as a Markdown code span: fenced by more backticks than it holds in
    /// a row (so it cannot close the span early), `|` escaped for the table.
    static func codeSpan(_ text: String) -> String {
        var longest = 0
        var run = 0
        for ch in text.unicodeScalars {
            run = ch == "`" ? run + 1 : 0
            longest = Swift.max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        var body = ""
        for ch in text.unicodeScalars {
            switch ch {
            case "|": body += "\\|"
            case "\n", "\r": body += " "
            default: body.unicodeScalars.append(ch)
            }
        }
        if body.hasPrefix("`") || body.hasSuffix("`") { body = " " + body + " " }
        return fence + body + fence
    }
}
