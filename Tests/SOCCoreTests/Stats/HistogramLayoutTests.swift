import Foundation
import Testing

@testable import SOCCore

/// How a figure is drawn: the scale picked from its bins, and an SVG a reader can read.
@Suite struct HistogramLayoutTests {
    static func accumulator(_ values: [Int]) -> NumericAccumulator {
        var a = NumericAccumulator()
        for v in values { a.add(v) }
        return a
    }

    @Test func aConstantFigureIsSaidNotDrawn() {
        let a = Self.accumulator(Array(repeating: 7, count: 50))
        #expect(HistogramLayout(a).scale == .constant)
        let html = SVGChart.histogram(a, quantity: "turns", counted: "chats")
        #expect(!html.contains("<svg"))
        #expect(html.contains("all 50 chats have 7"))
    }

    @Test func smallIntegersGetOneBarPerValue() {
        let a = Self.accumulator([1, 2, 2, 3, 3, 3, 6])
        let layout = HistogramLayout(a)
        #expect(layout.scale == .discrete)
        #expect(layout.bars.map(\.count) == [1, 2, 3, 0, 0, 1])
        #expect(layout.bars.map(\.lower) == [1, 2, 3, 4, 5, 6])
    }

    @Test func aFigureOverMoreThanTwoDecadesGetsLogBinsWithZerosAndNegativesApart() {
        // Delays: 5 to 70,000 minutes, some zeros and one negative value.
        let values = [0, 0, 0, -3] + (0..<200).map { 5 * Int(pow(1.05, Double($0)).rounded()) % 70_000 + 5 }
        let a = Self.accumulator(values)
        let layout = HistogramLayout(a)
        #expect(layout.scale == .logarithmic)
        let special = layout.bars.filter(\.special)
        #expect(special.map(\.label) == ["< 0", "0"])
        #expect(special.map(\.count) == [1, 3])
        let total = layout.bars.reduce(0.0) { $0 + $1.count }
        #expect(abs(total - Double(values.count)) < 1e-6)
        // Log bins: each bar's upper/lower ratio is the same.
        let axisBars = layout.bars.filter { !$0.special }
        let ratios = axisBars.map { $0.upper / $0.lower }
        #expect(ratios.allSatisfy { abs($0 - ratios[0]) < 1e-6 * ratios[0] })
        #expect(axisBars.count <= HistogramLayout.maximumBars)
    }

    @Test func aNarrowFigureStaysLinear() {
        let a = Self.accumulator(Array(stride(from: 100, through: 900, by: 7)))
        let layout = HistogramLayout(a)
        #expect(layout.scale == .linear)
        let widths = layout.bars.map { $0.upper - $0.lower }
        #expect(widths.allSatisfy { $0 == widths[0] })
    }

    /// The p50 marker stands at the median's position on the axis, not in the middle.
    @Test func theMedianMarkerIsWhereTheMedianIs() throws {
        // Skewed: most values small, a long tail to 72,000 (issue 14: p50 1,417 drawn halfway).
        var values = Array(repeating: 1_417, count: 60)
        values += (0..<40).map { 1 + $0 * 1_800 }
        let a = Self.accumulator(values)
        let svg = SVGChart.histogram(a, quantity: "characters per chat", counted: "chats")
        #expect(svg.contains("class=\"x-label\""))
        #expect(svg.contains("class=\"y-label\""))
        #expect(svg.contains(">p50 \(ReportContent.decimal(a.quantile(0.5)!))<"))
        let marker = try #require(svg.range(of: "class=\"marker p50\" x1=\""))
        let x = Double(svg[marker.upperBound...].prefix { $0 != "\"" })!
        let layout = HistogramLayout(a)
        let specials = Double(layout.bars.filter(\.special).count)
        let barWidth = (SVGChart.width - SVGChart.left - SVGChart.right) / Double(layout.bars.count)
        let axis = ChartAxis(
            low: layout.low, high: layout.high, logarithmic: layout.scale == .logarithmic,
            start: SVGChart.left + specials * barWidth, end: SVGChart.width - SVGChart.right)
        #expect(abs(x - axis.position(a.quantile(0.5)!)) < 0.1)
        let middle = (SVGChart.left + SVGChart.width - SVGChart.right) / 2
        #expect(abs(x - middle) > 20)
    }

    @Test func ticksAreRoundAndWithinTheAxis() {
        let linear = ChartAxis(low: 119, high: 929, logarithmic: false, start: 0, end: 100)
        #expect(linear.ticks() == [200, 400, 600, 800])
        let log = ChartAxis(low: 5, high: 72_000, logarithmic: true, start: 0, end: 100)
        #expect(log.ticks() == [10, 100, 1_000, 10_000])
        #expect(abs(log.position(600) - 100 * (log10(600) - log10(5)) / (log10(72_000) - log10(5))) < 1e-9)
        #expect(ChartAxis.label(1_500) == "1.5k")
        #expect(ChartAxis.label(20_000) == "20k")
    }

    @Test func categoriesAreASortedBarChartWithAxes() {
        let svg = SVGChart.bars(
            [(label: "gpt", count: 30), (label: "<b>qwen</b>", count: 12)], title: "Chat model", category: "model",
            counted: "chats", total: 42)
        #expect(svg.contains("class=\"x-label\""))
        #expect(svg.contains("class=\"y-label\""))
        #expect(svg.contains("&lt;b&gt;qwen&lt;/b&gt;"))
        #expect(!svg.contains("<b>"))
        #expect(svg.range(of: ">gpt<")!.lowerBound < svg.range(of: "qwen")!.lowerBound)
    }
}
