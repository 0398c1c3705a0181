/// Rewrites the parts of an ECMA-262 (`u` mode) pattern that PCRE2 reads differently.
///
/// JSON Schema patterns are ECMA-262 regular expressions; PCRE2 (UTF + UCP) agrees on almost
/// all syntax. Differences handled here:
/// - `\d`, `\w` (and `\D`, `\W`) are ASCII-only in ECMA-262; with UCP PCRE2 would match every
///   Unicode digit and letter, so they become explicit ASCII classes. `\s` (`\S`) becomes
///   ECMA-262's own white-space set, which includes U+FEFF and excludes U+0085.
/// - `\p{Letter}`, `\p{General_Category=Letter}`, `\p{Script=Greek}`: long property names are
///   mapped to PCRE2's short ones (`\p{L}`, `\p{Greek}`).
/// - `$` matches only at the very end (compiled with `PCRE2_DOLLAR_ENDONLY` by the caller).
/// Not handled (documented in docs/validate.md): `\cX` edge cases, and `\W`/`\S` inside a class.
enum ECMAPattern {
    static func translate(_ pattern: String) -> String {
        let chars = Array(pattern.unicodeScalars)
        var out = ""
        var inClass = false
        var k = 0
        while k < chars.count {
            let c = chars[k]
            if c == "\\", k + 1 < chars.count {
                let e = chars[k + 1]
                switch e {
                case "d": out += inClass ? "0-9" : "[0-9]"
                case "D": out += inClass ? "\\x{0}-/:-\\x{10FFFF}" : "[^0-9]"
                case "s": out += inClass ? whitespace : "[" + whitespace + "]"
                case "S": out += inClass ? "\\S" : "[^" + whitespace + "]"
                case "w": out += inClass ? "A-Za-z0-9_" : "[A-Za-z0-9_]"
                case "W": out += inClass ? "\\W" : "[^A-Za-z0-9_]"
                case "p", "P":
                    if k + 2 < chars.count, chars[k + 2] == "{", let close = chars[(k + 2)...].firstIndex(of: "}") {
                        let name = String(String.UnicodeScalarView(chars[(k + 3)..<close]))
                        out += "\\\(e){\(propertyName(name))}"
                        k = close + 1
                        continue
                    }
                    out += "\\\(e)"
                default:
                    out.unicodeScalars.append(c)
                    out.unicodeScalars.append(e)
                }
                k += 2
                continue
            }
            if c == "[" && !inClass {
                inClass = true
            } else if c == "]" && inClass {
                inClass = false
            }
            out.unicodeScalars.append(c)
            k += 1
        }
        return out
    }

    /// ECMA-262 WhiteSpace and LineTerminator: what `\s` means there (PCRE2's set differs).
    static let whitespace =
        "\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}"

    private static let categories: [String: String] = [
        "Letter": "L", "Cased_Letter": "L&", "Uppercase_Letter": "Lu", "Lowercase_Letter": "Ll",
        "Titlecase_Letter": "Lt",
        "Modifier_Letter": "Lm", "Other_Letter": "Lo", "Mark": "M", "Combining_Mark": "M", "Nonspacing_Mark": "Mn",
        "Spacing_Mark": "Mc", "Enclosing_Mark": "Me", "Number": "N", "Decimal_Number": "Nd", "digit": "Nd",
        "Letter_Number": "Nl", "Other_Number": "No", "Punctuation": "P", "punct": "P", "Connector_Punctuation": "Pc",
        "Dash_Punctuation": "Pd", "Open_Punctuation": "Ps", "Close_Punctuation": "Pe", "Initial_Punctuation": "Pi",
        "Final_Punctuation": "Pf", "Other_Punctuation": "Po", "Symbol": "S", "Math_Symbol": "Sm",
        "Currency_Symbol": "Sc",
        "Modifier_Symbol": "Sk", "Other_Symbol": "So", "Separator": "Z", "Space_Separator": "Zs",
        "Line_Separator": "Zl",
        "Paragraph_Separator": "Zp", "Other": "C", "Control": "Cc", "cntrl": "Cc", "Format": "Cf", "Surrogate": "Cs",
        "Private_Use": "Co", "Unassigned": "Cn",
    ]

    private static func propertyName(_ name: String) -> String {
        if let equals = name.firstIndex(of: "=") {
            let key = name[..<equals]
            let value = String(name[name.index(after: equals)...])
            if key == "General_Category" || key == "gc" { return categories[value] ?? value }
            return value  // Script=Greek, sc=Greek, Script_Extensions=Greek: PCRE2 takes the script name.
        }
        return categories[name] ?? name
    }
}
