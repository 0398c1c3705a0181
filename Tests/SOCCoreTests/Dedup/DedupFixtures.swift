import Foundation
import SOCTestSupport

@testable import SOCCore

/// Runs `lines` through a fingerprinter and a duplicate index, as the one-shot run does.
func decisions(_ lines: [String], settings: DedupSettings = DedupSettings()) throws -> [DuplicateDecision] {
    let fingerprinter = Fingerprinter(settings: settings)
    var index = DuplicateIndex(
        threshold: settings.threshold, numPerm: settings.numPerm, parameters: settings.lshParameters,
        near: settings.near)
    return try lines.map { line in
        try withDocument(line) { index.decide(fingerprinter.fingerprint($0))! }
    }
}

/// Exact Jaccard similarity of two texts' shingle sets.
func jaccard(_ a: String, _ b: String, ngram: Int = 5) -> Double {
    let x = Shingler(ngram: ngram)
    let y = Shingler(ngram: ngram)
    x.append(a)
    y.append(b)
    let sa = Set(x.shingles())
    let sb = Set(y.shingles())
    return Double(sa.intersection(sb).count) / Double(sa.union(sb).count)
}
