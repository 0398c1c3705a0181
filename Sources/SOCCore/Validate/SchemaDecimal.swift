/// A JSON number read exactly from its text, for the schema keywords that compare numbers
/// (`minimum`, `maximum`, `multipleOf`, `const`, `enum`, `uniqueItems`, `type: integer`).
///
/// Doubles would merge integers beyond 2^53 (`9007199254740993` would equal its neighbour
/// `…992`, so `maximum: 9007199254740992` would accept it) and decimals such as `0.1`; this
/// form keeps every digit. The value is `±0.d₁d₂…dₙ × 10^exponent` with no leading or trailing
/// zero digit, so equal numbers however written (`1`, `1.0`, `10e-1`, `0.1E1`) have equal fields.
struct SchemaDecimal: Hashable, Comparable {
    /// True for negative numbers (never for zero, so `-0` equals `0`).
    var negative: Bool
    /// Significant digits as ASCII, without leading or trailing zeros; empty for zero.
    var digits: [UInt8]
    /// Where the decimal point goes: the value is `0.digits × 10^exponent`. Exponents whose text
    /// does not fit 18 digits saturate at ±10^18 (such numbers are all 0 or beyond any Double).
    var exponent: Int64

    var isZero: Bool { digits.isEmpty }

    /// True when the value has no fractional part (`1.0` and `1e2` are integers to JSON Schema).
    var isIntegral: Bool { digits.isEmpty || exponent >= Int64(digits.count) }

    /// Reads JSON number text (`-12.5e3`); nil when it is not a JSON number.
    init?(_ text: UnsafeRawBufferPointer) {
        var i = 0
        let n = text.count
        negative = false
        if i < n && text[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        var all: [UInt8] = []
        var pointPosition = 0
        var sawDigit = false
        while i < n, text[i] >= 48, text[i] <= 57 {
            all.append(text[i])
            i += 1
            sawDigit = true
        }
        pointPosition = all.count
        guard sawDigit else { return nil }
        if i < n && text[i] == UInt8(ascii: ".") {
            i += 1
            var sawFraction = false
            while i < n, text[i] >= 48, text[i] <= 57 {
                all.append(text[i])
                i += 1
                sawFraction = true
            }
            guard sawFraction else { return nil }
        }
        var exponent: Int64 = 0
        if i < n && (text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E")) {
            i += 1
            var exponentNegative = false
            if i < n && (text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-")) {
                exponentNegative = text[i] == UInt8(ascii: "-")
                i += 1
            }
            var sawExponentDigit = false
            while i < n, text[i] >= 48, text[i] <= 57 {
                sawExponentDigit = true
                exponent =
                    exponent > Self.saturation / 10
                    ? Self.saturation : Swift.min(exponent * 10 + Int64(text[i] - 48), Self.saturation)
                i += 1
            }
            guard sawExponentDigit else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard i == n else { return nil }
        // Drop leading zeros (each moves the point left) and trailing zeros (no effect).
        var first = 0
        while first < all.count && all[first] == 48 { first += 1 }
        var last = all.count
        while last > first && all[last - 1] == 48 { last -= 1 }
        if first == last {
            digits = []
            self.exponent = 0
            negative = false
            return
        }
        digits = Array(all[first..<last])
        let shift = Int64(pointPosition - first)
        self.exponent = Swift.max(-Self.saturation, Swift.min(Self.saturation, exponent + shift))
    }

    init?(_ text: String) {
        var text = text
        guard let value = text.withUTF8({ Self(UnsafeRawBufferPointer($0)) }) else { return nil }
        self = value
    }

    /// Exponents are kept within ±10^18 so that adding a digit count never overflows.
    static let saturation: Int64 = 1_000_000_000_000_000_000

    /// The value as an Int64 when it is an integer that fits, else nil.
    var int64: Int64? {
        guard isIntegral, exponent <= 18 else { return nil }
        var value: Int64 = 0
        for k in 0..<Int(exponent) {
            let digit = k < digits.count ? Int64(digits[k] - 48) : 0
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = sum
        }
        return negative ? -value : value
    }

    static func < (a: SchemaDecimal, b: SchemaDecimal) -> Bool {
        compare(a, b) < 0
    }

    /// -1, 0 or 1 as `a` is less than, equal to or greater than `b`.
    static func compare(_ a: SchemaDecimal, _ b: SchemaDecimal) -> Int {
        let signA = a.isZero ? 0 : (a.negative ? -1 : 1)
        let signB = b.isZero ? 0 : (b.negative ? -1 : 1)
        if signA != signB { return signA < signB ? -1 : 1 }
        if signA == 0 { return 0 }
        let magnitude = compareMagnitude(a, b)
        return signA < 0 ? -magnitude : magnitude
    }

    private static func compareMagnitude(_ a: SchemaDecimal, _ b: SchemaDecimal) -> Int {
        if a.exponent != b.exponent { return a.exponent < b.exponent ? -1 : 1 }
        // Same exponent: digit strings compare as fractions (a missing digit is a 0, and there
        // are no trailing zeros, so the shorter prefix is the smaller).
        let common = Swift.min(a.digits.count, b.digits.count)
        for k in 0..<common where a.digits[k] != b.digits[k] { return a.digits[k] < b.digits[k] ? -1 : 1 }
        if a.digits.count == b.digits.count { return 0 }
        return a.digits.count < b.digits.count ? -1 : 1
    }

    /// True when `self` divided by `divisor` (positive) is an integer, computed exactly when the
    /// divisor has at most 18 significant digits; nil when it has more (the caller falls back).
    func isMultiple(of divisor: SchemaDecimal) -> Bool? {
        if isZero { return true }
        guard !divisor.isZero, divisor.digits.count <= 18 else { return nil }
        // self = m₁ × 10^e₁, divisor = m₂ × 10^e₂ with m₁, m₂ integers without trailing zeros.
        let e1 = exponent - Int64(digits.count)
        let e2 = divisor.exponent - Int64(divisor.digits.count)
        var m2: UInt64 = 0
        for digit in divisor.digits { m2 = m2 * 10 + UInt64(digit - 48) }
        // With e₁ < e₂ the quotient m₁ / (m₂ × 10^(e₂-e₁)) would need m₁ to end in a zero: never.
        guard e1 >= e2 else { return false }
        var remainder: UInt64 = 0
        for digit in digits { remainder = (remainder * 10 + UInt64(digit - 48)) % m2 }
        let power = Self.powerOfTen(e1 - e2, modulo: m2)
        return Self.multiply(remainder, power, modulo: m2) == 0
    }

    /// 10^k mod m, by squaring (k may be up to 2 × 10^18).
    private static func powerOfTen(_ k: Int64, modulo m: UInt64) -> UInt64 {
        if m == 1 { return 0 }
        var result: UInt64 = 1
        var base: UInt64 = 10 % m
        var k = k
        while k > 0 {
            if k & 1 == 1 { result = multiply(result, base, modulo: m) }
            base = multiply(base, base, modulo: m)
            k >>= 1
        }
        return result
    }

    private static func multiply(_ a: UInt64, _ b: UInt64, modulo m: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return m.dividingFullWidth((high: product.high, low: product.low)).remainder
    }

    /// The number as JSON text in a canonical form (`-1.25e3` style is not needed: messages use
    /// the schema's own text), for tests and debugging.
    var description: String {
        if isZero { return "0" }
        return (negative ? "-" : "") + "0." + String(decoding: digits, as: UTF8.self) + "e" + String(exponent)
    }
}
