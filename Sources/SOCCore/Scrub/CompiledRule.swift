#if canImport(Glibc)
import Glibc
#endif

/// A rule made ready to run: its pattern checked at start-up, its exact pre-checks, and either
/// one compiled regex (no placeholders) or a slot in the per-persona cache.
final class CompiledRule {
    let rule: ScrubRule
    let template: PatternTemplate
    let replacement: ReplacementTemplate
    /// Bytes every match contains (from PCRE2): a subject without one of them is skipped.
    let requiredBytes: [UInt8]
    /// The compiled pattern when it has no placeholders.
    let fixed: PCRE2Regex?
    /// For patterns with placeholders: a superset pattern compiled once (placeholders as any
    /// text); a subject it does not match cannot match for any persona, so the per-persona
    /// pattern is neither compiled nor run.
    let prefilter: PCRE2Regex?
    /// Index among the rules of the same target that use placeholders (the cache entry's slot).
    let slot: Int

    /// Compiles `rule`; a pattern or replacement that does not compile is a `RuleFileError`.
    init(_ rule: ScrubRule, slot: Int) throws(RuleFileError) {
        self.rule = rule
        self.slot = slot
        template = PatternTemplate(rule.pattern)
        func failure(_ message: String) -> RuleFileError {
            RuleFileError(file: rule.file, line: rule.line, ruleID: rule.id, message: message)
        }
        // Same-length stand-ins keep PCRE2's offset pointing into the pattern as written.
        let checked: PCRE2Regex
        do {
            checked = try PCRE2Regex(template.expanded { $0.sameLengthDummy }, options: rule.options)
        } catch {
            throw failure("pattern does not compile: \(error.message) at offset \(error.offset)")
        }
        if template.hasPlaceholders {
            // Real values make alternations of different lengths (which lookbehinds reject).
            do {
                _ = try PCRE2Regex(template.expanded { _ in "(?:a\\.|bc\\'d)" }, options: rule.options)
            } catch {
                throw failure("pattern does not compile once placeholders are expanded: \(error.message)")
            }
            fixed = nil
            prefilter = template.generalized.flatMap { try? PCRE2Regex($0, options: rule.options) }
        } else {
            fixed = checked
            prefilter = nil
        }
        requiredBytes = checked.requiredBytes
        do {
            replacement = try ReplacementTemplate(rule.replacement, captureCount: checked.captureCount)
        } catch {
            throw failure("bad replacement: \(error.message)")
        }
    }

    /// False when `subject` certainly has no match (exact pre-checks; no per-persona compile).
    @inline(__always)
    func mayMatch(_ subject: UnsafeRawBufferPointer) -> Bool {
        for byte in requiredBytes {
            guard subject.count > 0, memchr(subject.baseAddress!, Int32(byte), subject.count) != nil else { return false }
        }
        if let prefilter, !prefilter.matches(subject) { return false }
        return true
    }
}
