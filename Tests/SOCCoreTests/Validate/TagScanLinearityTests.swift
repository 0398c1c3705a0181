import Testing
@testable import SOCCore

/// Both tag scanners (soc-validate's and soc-stats') are linear in the message: counted in
/// bytes examined, never timed. A quadratic scan of these messages examines ~n²/6 bytes.
@Suite struct TagScanLinearityTests {
    /// Messages that made a scanner rescan the rest of the text once per tag.
    static let pathological: [@Sendable (String, Int) -> String] = [
        { unit, k in String(repeating: unit, count: k) },
        { unit, k in String(repeating: unit, count: k) + ">" },
        { unit, k in "<image>" + String(repeating: unit, count: k) },
    ]
    static let units = ["<a ", "<image", "<image>", "</a ", "<delay ", "<a b", "< a", "<a/", "<end"]

    func validateSteps(_ text: String) -> Int {
        var text = text
        var steps = 0
        _ = text.withUTF8 { ChatTagScanner.scan(UnsafeRawBufferPointer($0), steps: &steps) }
        return steps
    }

    func statsSteps(_ text: String) -> Int {
        var text = text
        var steps = 0
        text.withUTF8 { TagScanner.scan(UnsafeRawBufferPointer($0), steps: &steps) { _, _ in } }
        return steps
    }

    @Test(arguments: units)
    func validateScannerIsLinear(unit: String) {
        for shape in Self.pathological {
            let text = shape(unit, 20_000)
            #expect(validateSteps(text) <= 4 * text.utf8.count + 16, "\(unit)")
        }
    }

    @Test(arguments: units)
    func statsScannerIsLinear(unit: String) {
        for shape in Self.pathological {
            let text = shape(unit, 20_000)
            #expect(statsSteps(text) <= 4 * text.utf8.count + 16, "\(unit)")
        }
    }

    @Test func stepsCountTheWorkDone() {
        // The counter is not constant: twice the text, about twice the steps.
        let small = validateSteps(String(repeating: "<a b> ", count: 1000))
        let large = validateSteps(String(repeating: "<a b> ", count: 2000))
        #expect(small > 1000 && large >= 2 * small - 16)
    }
}
