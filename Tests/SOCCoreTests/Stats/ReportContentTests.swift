import Testing

@testable import SOCCore

/// The human-readable reports print every figure and show data as text, never as markup.
@Suite struct ReportContentTests {
    @Test func hugeFiguresPrintInsteadOfTrapping() {
        #expect(ReportContent.decimal(1e17) == "1e+17")
        #expect(ReportContent.decimal(-1.44e18) == "-1.44e+18")
        #expect(ReportContent.decimal(1.7e308) == "1.7e+308")
        #expect(ReportContent.decimal(999_999_999_999_999) == "999,999,999,999,999")
        #expect(ReportContent.decimal(12.5) == "12.5")
    }

    @Test func displayBinsOfARangeADoubleCannotStepThrough() {
        var a = NumericAccumulator()
        a.add(1e17)
        let bins = a.histogram.displayBins(10, minimum: a.minimum, maximum: a.maximum, integral: a.integral)
        #expect(bins.reduce(0) { $0 + $1.count } == 1)
        var wide = NumericAccumulator()
        wide.add(-1.7e308)
        wide.add(1.7e308)
        let wideBins = wide.histogram.displayBins(
            10, minimum: wide.minimum, maximum: wide.maximum, integral: wide.integral)
        #expect(wideBins.reduce(0) { $0 + $1.count } == 2)
    }

    @Test func markdownShowsHTMLFromTheDataAsText() {
        #expect(MarkdownReport.escape("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;")
        #expect(MarkdownReport.escape("a|b & *c* [x](y)") == "a\\|b &amp; \\*c\\* \\[x\\](y)")
        #expect(!MarkdownReport.escape("<\u{301}img src=x>").unicodeScalars.contains("<"))
        #expect(MarkdownReport.codeSpan("a`b|c") == "``a`b\\|c``")
        #expect(MarkdownReport.codeSpan("<b>") == "`<b>`")
    }

    @Test func htmlEscapesByScalar() {
        #expect(HTMLReport.escape("\"\u{301} onload=x") == "&quot;\u{301} onload=x")
    }
}
