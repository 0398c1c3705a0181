/// soc-scrub's reason codes beyond the shared ones.
extension ReasonCode {
    /// A rule PCRE2 could not finish on a string (match, depth or heap limit): the answer is
    /// unknown, so the record is rejected rather than passed as if the rule had not matched.
    public static let regexLimit: ReasonCode = "regex_limit"
    /// Scrubbing would leave the chat fewer than 2 parts (an invalid chat): not written.
    public static let emptiedByScrub: ReasonCode = "emptied_by_scrub"
}
