import ArgumentParser

/// How a tool writes its diagnostics (`--diagnostics`; soc-validate's `--format` is an alias).
public enum DiagnosticFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// `FILE:LINE: code: $.path: message`, and `tool: message` for the tool's own lines.
    case text
    /// One JSON object per line, every line (docs/diagnostics.md has the keys).
    case json
    /// GitHub Actions workflow commands: `::error file=F,line=L::code: message`.
    case github
    /// One SARIF 2.1.0 document, written when the tool ends.
    case sarif
}

/// How serious a diagnostic line is.
public enum DiagnosticLevel: String, Sendable {
    /// A rejected record, or the reason the tool failed.
    case error
    /// Something about an input that is not a rejection (a skipped byte order mark).
    case warning
    /// A summary, timings, a count of diagnostics not shown.
    case note
}
