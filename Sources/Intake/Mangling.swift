import Domain

/// Identity numbers that went through a spreadsheet program (issue 15).
///
/// A spreadsheet that opens a CSV, or a column pasted without the 文本 (Text)
/// format, turns a long digit string into a number: it keeps 15 significant
/// digits, shows `4.10307199301132E+019`, drops leading zeros and, saved back,
/// writes the rounded number. Such a value can no longer name a person, and a
/// resident ID cut to 15 digits and padded with `000` still passes its check
/// character about one time in eleven. These checks run before the identity
/// rules, so the message says what happened and how to fix it (in Chinese, for
/// the staff who keep the workbooks) instead of "character 2 is not allowed".
public enum Mangling {
    /// How to fix it, in words staff read.
    public static let fix = "请在表格中把该列设为“文本”格式后重新粘贴原号码，或直接导入 .xlsx 文件"

    /// The identity columns these checks know.
    public enum What: Sendable {
        /// A 残疾人证号: 20 characters (a resident ID, category, grade), optional `Bn`.
        case certificate
        /// A resident ID: 18 characters.
        case residentID
        /// A unified social credit code: 18 characters.
        case creditCode
        /// A phone number: mobile `1xxxxxxxxxx`, landline `0xxx…`, or a local number.
        case phone
        /// A roster's veteran certificate number (its form is not fixed: only scientific notation is refused).
        case other
    }

    /// Full-width (全角) ASCII forms U+FF01–U+FF5E folded to ASCII and the
    /// ideographic space U+3000 to a space: what Unicode NFKC does to them, so
    /// `４１０３…` typed in 全角 mode validates like `4103…`. Other text is unchanged.
    public static func foldWidth(_ s: Substring) -> Substring {
        guard s.utf8.contains(where: { $0 >= 0x80 }) else { return s }
        var out = String.UnicodeScalarView()
        var changed = false
        for u in s.unicodeScalars {
            switch u.value {
            case 0xFF01...0xFF5E: out.append(Unicode.Scalar(u.value - 0xFEE0)!); changed = true
            case 0x3000: out.append(" "); changed = true
            default: out.append(u)
            }
        }
        return changed ? Substring(String(out)) : s
    }

    /// Whether `t` is a number in scientific notation: `4.10307199301132E+019`, `1.38E+10`, `4E19`.
    public static func isScientific(_ t: some StringProtocol) -> Bool {
        let u = Array(t.utf8)
        guard let e = u.firstIndex(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }), e > 0 else { return false }
        var i = 0, digits = 0, dots = 0
        while i < e {
            if isDigit(u[i]) { digits += 1 } else if u[i] == UInt8(ascii: "."), dots == 0 { dots += 1 } else { return false }
            i += 1
        }
        guard digits > 0 else { return false }
        var j = e + 1
        if j < u.count, u[j] == UInt8(ascii: "+") || u[j] == UInt8(ascii: "-") { j += 1 }
        guard j < u.count else { return false }
        return u[j...].allSatisfy(isDigit)
    }

    /// Enough of a scientific-notation value to see what happened, and no more of
    /// the person than masking shows: the first 6 characters and the exponent
    /// (`4.1030…E+019`).
    public static func shownScientific(_ t: some StringProtocol) -> String {
        let s = String(t)
        guard let e = s.firstIndex(where: { $0 == "E" || $0 == "e" }) else { return s }
        let head = s[..<e]
        return (head.count > 6 ? String(head.prefix(6)) + "…" : String(head)) + String(s[e...])
    }

    /// Refuses a value a spreadsheet mangled, with the reason and the fix. `t` is trimmed and width-folded.
    public static func check(_ t: Substring, _ what: What) throws(FieldError) {
        if isScientific(t) {
            throw FieldError(.mangled(.scientific(shownScientific(t))))
        }
        let u = Array(t.utf8)
        // `41030719800101002042.0`, `13812345678.0`: a number written back with a decimal point.
        if let dot = u.firstIndex(of: UInt8(ascii: ".")), dot > 0, u[..<dot].allSatisfy(isDigit),
           u[(dot + 1)...].allSatisfy({ $0 == UInt8(ascii: "0") }), u.count > dot + 1 {
            throw FieldError(.mangled(.decimalPoint))
        }
        let allDigits = !u.isEmpty && u.allSatisfy(isDigit)
        guard allDigits else { return }
        let n = u.count
        switch what {
        case .certificate:
            if n < 20 {
                throw FieldError(.mangled(.certificateShort(digits: n)))
            }
            if n == 20, u[15...].allSatisfy({ $0 == UInt8(ascii: "0") }) {
                throw FieldError(.mangled(.certificateZeroed))
            }
            if n > 20 {
                throw FieldError(.mangled(.certificateLong(digits: n)))
            }
        case .residentID:
            if n != 18 {
                throw FieldError(.mangled(.residentIDLength(digits: n)))
            }
            if u[15...].allSatisfy({ $0 == UInt8(ascii: "0") }), ResidentID.checkCharacter(for: u[0..<17]) != "0" {
                throw FieldError(.mangled(.residentIDZeroed))
            }
        case .creditCode:
            if n != 18 {
                throw FieldError(.mangled(.creditCodeLength(digits: n)))
            }
        case .phone:
            // Mobile numbers start with 1 and landlines with the area code's 0; 9–11
            // digits starting with 2–9 are a landline whose 0 a spreadsheet dropped.
            if (9...11).contains(n), u[0] >= UInt8(ascii: "2") {
                throw FieldError(.mangled(.phoneLostZero))
            }
        case .other:
            break
        }
    }

    /// Whether an 18-digit resident ID (or the ID inside a certificate number) ends in
    /// `000`: when its check character passes, a spreadsheet may still have kept 15
    /// digits and zeroed the rest (a warning).
    public static func isZeroPadded(_ id18: some StringProtocol) -> Bool {
        let u = Array(id18.utf8.prefix(18))
        return u.count == 18 && u.allSatisfy(isDigit) && u[15...].allSatisfy({ $0 == UInt8(ascii: "0") })
    }

    /// The zero-padded warning's words outside Render (`IntakeWarning.message`).
    static let zeroPaddedText = "身份证号末尾 3 位都是 0，校验位虽然相符，也可能是电子表格只保留了 15 位有效数字后补的 0：请与证件原件核对"

    /// A cell a spreadsheet stores as a number, where an identity belongs.
    public static let numericCellRule = "此列在表格中是数字格式，身份证号、残疾人证号、信用代码超过 15 位的部分已被改动：请把该列设为“文本”格式后重新填写原号码"

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
}
