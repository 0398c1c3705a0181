import Testing

@testable import SOCCore

/// The one tag scanner (soc-validate's and soc-stats') is linear in the message: counted in
/// bytes examined, never timed. A quadratic scan of these messages examines ~n²/6 bytes.
@Suite struct TagScanLinearityTests {
    /// Messages that made a scanner rescan the rest of the text once per tag.
    static let pathological: [@Sendable (String, Int) -> String] = [
        { unit, k in String(repeating: unit, count: k) },
        { unit, k in String(repeating: unit, count: k) + ">" },
        { unit, k in "<image>" + String(repeating: unit, count: k) },
    ]
    static let units = ["<a ", "<image", "<image>", "</a ", "<delay ", "<a b", "< a", "<a/", "<end"]

    func steps(_ text: String) -> Int {
        var text = text
        var steps = 0
        text.withUTF8 { TagScanner.scan(UnsafeRawBufferPointer($0), steps: &steps) { _ in } }
        return steps
    }

    @Test(arguments: units)
    func scannerIsLinear(unit: String) {
        for shape in Self.pathological {
            let text = shape(unit, 20_000)
            #expect(steps(text) <= 4 * text.utf8.count + 16, "\(unit)")
        }
    }

    @Test func stepsCountTheWorkDone() {
        // The counter is not constant: twice the text, about twice the steps.
        let small = steps(String(repeating: "<a b> ", count: 1000))
        let large = steps(String(repeating: "<a b> ", count: 2000))
        #expect(small > 1000 && large >= 2 * small - 16)
    }
}
