/// The band file that `soc-dedup sign --bands` writes for a distributed `--groups components`
/// run (spark/soc_components.py): per record its band keys and verification signature instead
/// of the full signature (about 750 bytes of text a record instead of 2,100). Version 1:
/// ```
/// #soc-dedup-bands<TAB>v1<TAB>shard=K<TAB>num_perm=128<TAB>...<TAB>bands=14<TAB>rows=9<TAB>threshold=0.8<TAB>fn_weight=0.9
/// K<TAB>ordinal<TAB>file<TAB>line<TAB>id<TAB>key<TAB>text<TAB>digest<TAB>verify<TAB>bands
/// #end<TAB>records=N<TAB>digest=D
/// ```
/// `K` … `text` as in the signature file (`SignatureFile`); `digest`: `SignatureDigest` of the
/// signature (16 hex digits; records with equal digests are one identity group); `verify`: the
/// low 16 bits of each MinHash value, 4 hex digits each (what candidates are verified on);
/// `bands`: each band's hash (`LSHIndex.bandHash`), 8 hex digits each, band 0 first. The last
/// three are `-` for a record without text. The trailer is the signature file's.
public enum BandFile {
    public static let magic = "#soc-dedup-bands"
    public static let version = "v1"

    /// The header line (without newline).
    public static func header(shard: Int, settings: DedupSettings) -> String {
        let parameters = settings.lshParameters
        let fields =
            settings.signatureHeaderFields + [
                ("bands", String(parameters.bands)), ("rows", String(parameters.rows)),
                ("threshold", JSONNumber(settings.threshold).text), ("fn_weight", JSONNumber(settings.fnWeight).text),
            ]
        return ([magic, version, "shard=\(shard)"] + fields.map { "\($0.0)=\($0.1)" }).joined(separator: "\t")
    }

    /// One record line (without newline), appended to `out`.
    public static func appendRecord(_ entry: SignatureEntry, parameters: LSHParameters, to out: inout [UInt8]) {
        var head = entry
        head.fingerprint.signature = []
        // The first seven fields are the signature file's; its eighth (the signature) is `-` here.
        SignatureFile.appendRecord(head, to: &out)
        out.removeLast()
        let signature = entry.fingerprint.signature
        guard !signature.isEmpty else {
            out.append(contentsOf: "-\t-\t-".utf8)
            return
        }
        SignatureFile.appendHex(SignatureDigest.of(signature), to: &out)
        out.append(9)
        for value in signature { appendHex(UInt64(UInt16(truncatingIfNeeded: value)), digits: 4, to: &out) }
        out.append(9)
        for band in 0..<parameters.bands {
            appendHex(
                UInt64(LSHIndex.bandHash(signature, band: band, rows: parameters.rows)), digits: 8, to: &out)
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func appendHex(_ value: UInt64, digits: Int, to out: inout [UInt8]) {
        var shift = (digits - 1) * 4
        while shift >= 0 {
            out.append(hexDigits[Int((value >> UInt64(shift)) & 0xF)])
            shift -= 4
        }
    }
}
