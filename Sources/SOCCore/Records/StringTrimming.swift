extension StringProtocol {
    /// The text without leading and trailing white space (Unicode `isWhitespace`).
    var trimmingBlanks: String {
        var s = self[...]
        while let c = s.first, c.isWhitespace { s = s.dropFirst() }
        while let c = s.last, c.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
