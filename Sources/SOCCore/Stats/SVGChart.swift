/// Inline SVG charts for the HTML reports, each with two labelled axes and tick values:
/// histograms of numeric figures (see `HistogramLayout`, with p50/p90 markers at their values)
/// and sorted horizontal bar charts of categories. Each chart is an `<svg class="chart">` whose
/// axis titles are `<text class="x-label">` and `<text class="y-label">` (the browser test
/// checks them); it scales to its container through its `viewBox`.
enum SVGChart {
    static let width = 320.0
    static let height = 200.0
    static let left = 48.0
    static let right = 12.0
    static let top = 24.0
    static let bottom = 44.0

    /// The chart of a numeric figure, or a sentence when it has one value only (or none).
    /// `quantity` names what the values are (the x axis), `counted` what is counted (y axis).
    static func histogram(_ a: NumericAccumulator, quantity: String, counted: String) -> String {
        guard a.count > 0 else { return "<p class=\"note\">No values.</p>" }
        let layout = HistogramLayout(a)
        if layout.scale == .constant {
            return
                "<p class=\"constant\">Constant: all \(ReportContent.integer(a.count)) \(escape(counted)) have \(ReportContent.decimal(a.minimum)).</p>"
        }
        let plotLeft = left
        let plotRight = width - right
        let plotTop = top
        let plotBottom = height - bottom
        let specials = layout.bars.filter(\.special).count
        let gap = specials > 0 ? 8.0 : 0
        let barWidth = (plotRight - plotLeft - gap) / Double(Swift.max(layout.bars.count, 1))
        let axisStart = plotLeft + Double(specials) * barWidth + gap
        let axis = ChartAxis(
            low: layout.low, high: layout.high, logarithmic: layout.scale == .logarithmic, start: axisStart,
            end: plotRight)
        let highest = layout.bars.map(\.count).max() ?? 1
        let yTicks = countTicks(highest)
        let yAxis = ChartAxis(
            low: 0, high: yTicks.last ?? 1, logarithmic: false, start: plotBottom, end: plotTop)

        var svg = open(
            label: "Histogram of \(quantity)", xLabel: quantity + (layout.scale == .logarithmic ? " (log scale)" : ""),
            yLabel: counted, plotLeft: plotLeft)
        svg += yGrid(yTicks, yAxis, from: plotLeft, to: plotRight)
        // Bars: specials first at the left, then the axis bars, each titled with range and count.
        var x = plotLeft
        for (k, bar) in layout.bars.enumerated() {
            if k == specials && specials > 0 { x += gap }
            let h = plotBottom - yAxis.position(bar.count)
            let range = rangeText(bar, integral: a.integral, scale: layout.scale)
            svg +=
                "<rect class=\"bar\(bar.special ? " special" : "")\" x=\"\(fmt(x + 1))\" y=\"\(fmt(plotBottom - h))\" width=\"\(fmt(Swift.max(barWidth - 2, 1)))\" height=\"\(fmt(Swift.max(h, bar.count > 0 ? 1 : 0)))\"><title>\(escape(range)): \(ReportContent.decimal((bar.count * 10).rounded() / 10)) \(escape(counted))</title></rect>"
            if bar.special {
                svg += tickText(x + barWidth / 2, plotBottom, bar.label)
            }
            x += barWidth
        }
        svg += line(plotLeft, plotBottom + 0.5, plotRight, plotBottom + 0.5, "axis")
        // Value ticks.
        if layout.scale == .discrete {
            let values = Int(layout.high - layout.low)
            let step = Swift.max(1, Int(ChartAxis.niceStep(Double(values) / 7)))
            var v = Int(layout.low)
            while v < Int(layout.high) {
                if v % step == 0 {
                    svg += tickText(axis.position(Double(v) + 0.5), plotBottom, ChartAxis.label(Double(v)))
                }
                v += 1
            }
        } else {
            for t in axis.ticks() {
                let p = axis.position(t)
                svg += line(p, plotBottom, p, plotBottom + 4, "axis")
                svg += tickText(p, plotBottom, ChartAxis.label(t))
            }
        }
        // p50 and p90 where they are (a value below the log axis sits on its own bar).
        for (q, name, anchorEnd) in [(0.5, "p50", true), (0.9, "p90", false)] {
            guard let value = a.quantile(q) else { continue }
            var p: Double
            if layout.scale == .logarithmic && value < layout.low {
                let index = layout.bars.firstIndex { $0.special && value >= $0.lower && value <= $0.upper } ?? 0
                p = plotLeft + (Double(index) + 0.5) * barWidth
            } else {
                p = axis.position(value + (a.integral && layout.scale != .logarithmic ? 0.5 : 0))
            }
            p = Swift.min(Swift.max(p, plotLeft), plotRight)
            var end = anchorEnd
            if end && p - plotLeft < 52 { end = false }
            if !end && plotRight - p < 52 { end = true }
            svg += line(p, plotTop - 4, p, plotBottom, "marker \(name)")
            svg +=
                "<text class=\"marker-label\" x=\"\(fmt(p + (end ? -3 : 3)))\" y=\"\(fmt(plotTop - 8))\" text-anchor=\"\(end ? "end" : "start")\">\(name) \(escape(ReportContent.decimal(value)))</text>"
        }
        return svg + "</svg>"
    }

    /// A sorted horizontal bar chart: one row per category (given most frequent first), the
    /// count axis along the bottom. `total` (when > 0) adds each row's share to its title.
    static func bars(
        _ rows: [(label: String, count: Int)], title: String, category: String, counted: String, total: Int = 0
    ) -> String {
        guard !rows.isEmpty else { return "" }
        let labelWidth = 124.0
        let rowHeight = 18.0
        let plotLeft = labelWidth + 6
        let plotRight = width - 34
        let plotTop = 18.0
        let plotBottom = plotTop + rowHeight * Double(rows.count)
        let chartHeight = plotBottom + 40
        let highest = Double(rows.map(\.count).max() ?? 1)
        let ticks = countTicks(highest)
        let axis = ChartAxis(low: 0, high: ticks.last ?? 1, logarithmic: false, start: plotLeft, end: plotRight)
        var svg =
            "<svg class=\"chart bars\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(fmt(chartHeight))\" role=\"img\" aria-label=\"\(escape(title))\">"
        svg += "<text class=\"y-label\" x=\"0\" y=\"11\">\(escape(category))</text>"
        for t in ticks {
            let p = axis.position(t)
            svg += line(p, plotTop, p, plotBottom, "grid")
            svg += tickText(p, plotBottom, ChartAxis.label(t))
        }
        for (k, row) in rows.enumerated() {
            let y = plotTop + Double(k) * rowHeight
            let shown =
                row.label.unicodeScalars.count > 20
                ? String(String.UnicodeScalarView(row.label.unicodeScalars.prefix(19))) + "…" : row.label
            let share = total > 0 ? " (\(ReportContent.percent(row.count, total)))" : ""
            svg +=
                "<text class=\"category\" x=\"\(fmt(labelWidth))\" y=\"\(fmt(y + 13))\" text-anchor=\"end\">\(escape(shown))<title>\(escape(row.label))</title></text>"
            let w = axis.position(Double(row.count)) - plotLeft
            svg +=
                "<rect class=\"bar\" x=\"\(fmt(plotLeft))\" y=\"\(fmt(y + 3))\" width=\"\(fmt(Swift.max(w, row.count > 0 ? 1 : 0)))\" height=\"\(fmt(rowHeight - 6))\"><title>\(escape(row.label)): \(ReportContent.integer(row.count))\(share)</title></rect>"
            svg +=
                "<text class=\"value\" x=\"\(fmt(plotLeft + w + 3))\" y=\"\(fmt(y + 13))\">\(ChartAxis.label(Double(row.count)))</text>"
        }
        svg += line(plotLeft - 0.5, plotTop, plotLeft - 0.5, plotBottom, "axis")
        svg += line(plotLeft, plotBottom + 0.5, plotRight, plotBottom + 0.5, "axis")
        svg +=
            "<text class=\"x-label\" x=\"\(fmt((plotLeft + plotRight) / 2))\" y=\"\(fmt(chartHeight - 4))\" text-anchor=\"middle\">\(escape(counted))</text>"
        return svg + "</svg>"
    }

    /// The opening of a histogram's SVG with both axis titles.
    private static func open(label: String, xLabel: String, yLabel: String, plotLeft: Double) -> String {
        "<svg class=\"chart histogram\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(escape(label))\">"
            + "<text class=\"x-label\" x=\"\(fmt((plotLeft + width - right) / 2))\" y=\"\(fmt(height - 6))\" text-anchor=\"middle\">\(escape(xLabel))</text>"
            + "<text class=\"y-label\" transform=\"translate(11 \(fmt((top + height - bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>"
    }

    /// Round count ticks from 0 to at least `highest`.
    static func countTicks(_ highest: Double) -> [Double] {
        // Counts are whole: a step of 2.5 becomes 3, and no step is below 1.
        var step = ChartAxis.niceStep(Swift.max(highest, 1) / 4)
        if step < 10 { step = Swift.max(1, step.rounded(.up)) }
        var out: [Double] = [0]
        while out.last! < highest - 1e-9 { out.append(out.last! + step) }
        return out
    }

    private static func yGrid(_ ticks: [Double], _ axis: ChartAxis, from x0: Double, to x1: Double) -> String {
        var svg = ""
        for t in ticks {
            let y = axis.position(t)
            svg += line(x0, y, x1, y, t == 0 ? "axis" : "grid")
            svg +=
                "<text class=\"tick\" x=\"\(fmt(x0 - 4))\" y=\"\(fmt(y + 3))\" text-anchor=\"end\">\(ChartAxis.label(t))</text>"
        }
        return svg + line(x0 - 0.5, top, x0 - 0.5, height - bottom, "axis")
    }

    private static func rangeText(_ bar: HistogramLayout.Bar, integral: Bool, scale: HistogramLayout.Scale) -> String {
        if bar.special { return bar.label == "0" ? "0" : "\(bar.label)" }
        if scale == .discrete { return ReportContent.decimal(bar.lower) }
        let upper = integral ? (bar.upper - 1).rounded(.up) : bar.upper
        let lower = integral ? bar.lower.rounded(.up) : bar.lower
        if integral && upper <= lower { return ReportContent.decimal(lower) }
        return "\(ReportContent.decimal(lower))–\(ReportContent.decimal(upper))"
    }

    private static func tickText(_ x: Double, _ axisY: Double, _ text: String) -> String {
        "<text class=\"tick\" x=\"\(fmt(x))\" y=\"\(fmt(axisY + 15))\" text-anchor=\"middle\">\(escape(text))</text>"
    }

    private static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, _ kind: String) -> String {
        "<line class=\"\(kind)\" x1=\"\(fmt(x1))\" y1=\"\(fmt(y1))\" x2=\"\(fmt(x2))\" y2=\"\(fmt(y2))\"/>"
    }

    static func fmt(_ value: Double) -> String { HTMLReport.fmt((value * 10).rounded() / 10) }
    static func escape(_ text: String) -> String { HTMLReport.escape(text) }
}
