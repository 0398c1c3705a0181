import SOCTestSupport
import Testing

@testable import SOCCore

/// The tag names the scanner lowers and classifies in the pass that finds their end, against
/// `TagScanner.classify` of the name's bytes and the rule that only lowercase names are exact.
@Suite struct TagScannerNameTests {
    static let alphabet = Array("imagegifaudiovideodelayendIMAGEGIFx09_-".utf8)

    @Test func namesAreClassifiedAsTheirBytes() {
        var numbers = SeededNumbers(state: 31_337)
        let media: [ChatTag] = [.image, .gif, .audio, .video]
        var exactMedia = 0
        for _ in 0..<20_000 {
            let name: [UInt8]
            if numbers.next(3) == 0 {
                name = Array(
                    ["image", "gif", "audio", "video", "delay", "end", "Image", "GIF", "eNd"][numbers.next(9)].utf8)
            } else {
                name =
                    [Self.alphabet[numbers.next(10)]]
                    + (0..<numbers.next(8)).map { _ in
                        Self.alphabet[numbers.next(Self.alphabet.count)]
                    }
            }
            let text = [UInt8(ascii: "<")] + name + [UInt8(ascii: ">")]
            var first: TagScanner.Tag?
            text.withUnsafeBytes { raw in
                TagScanner.scan(raw) { tag in if first == nil { first = tag } }
            }
            let expected = name.withUnsafeBytes { TagScanner.classify($0) }
            let uppercase = name.contains { $0 >= 65 && $0 <= 90 }
            guard TagScanner.isLetter(name[0]) else {
                #expect(first == nil)
                continue
            }
            #expect(first?.name == expected, "\(String(decoding: name, as: UTF8.self))")
            if media.contains(expected) {
                // An exact media tag opens cleanly; an uppercase one is ill-formed.
                #expect((first?.problem == nil) == !uppercase, "\(String(decoding: name, as: UTF8.self))")
                if !uppercase { exactMedia += 1 }
            }
        }
        #expect(exactMedia > 100)
    }
}
