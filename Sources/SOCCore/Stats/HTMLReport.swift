/// Renders the figures as one self-contained HTML page with inline SVG histograms.
public enum HTMLReport {
    public static func render(_ stats: StatsDocument) -> String {
        "<!doctype html><html><body>TODO</body></html>\n"
    }
}
