import Intake

/// What `import` says: a file's problems, a row's broken rules, the summary
/// lines and the rejects file's reason column. Intake hands over typed values
/// (`FileProblem`, `RowError`); their words are here.
public enum ImportMessages {
    /// A problem with the file as a whole.
    public static func rule(_ p: FileProblem, _ lang: Language = .current) -> String {
        switch p {
        case .noHeader:
            return lang.pick("文件是空的：第一行必须是列名", "the file is empty: the first row must name the columns")
        case .undecodable(_, let enc):
            switch enc {
            case .gb18030: return lang.pick("这些字节不是有效的 GB18030/GBK 文本", "the bytes are not valid GB18030/GBK text")
            default:
                return lang.pick("这些字节不是有效的 UTF-8 文本（请把文件另存为 UTF-8，或加上 --encoding gb18030）",
                                 "the bytes are not valid UTF-8 text (save the file as UTF-8, or pass --encoding gb18030)")
            }
        case .unterminatedQuote:
            return lang.pick("本行开始的带引号的值没有结束引号", "a quoted value opened on this row is never closed")
        case .missingColumn(let name, let alias, let alternatives):
            if lang == .zh {
                let alt = alternatives.isEmpty ? "" : "（或 " + alternatives.joined(separator: " 或 ") + "）"
                return "缺少必填列 \(alias)（\(name)）\(alt)"
            }
            let alt = alternatives.isEmpty ? "" : " (or " + alternatives.joined(separator: " or ") + ")"
            return "required column \(name) (\(alias))\(alt) is missing"
        case .forbiddenColumn(let header):
            return lang.pick("列 \(header) 限定性别、民族或户籍；平等就业不允许这样的条件，整个文件被拒绝",
                             "column \(header) restricts sex, ethnicity or household registration; equal employment forbids it, so the whole file is refused")
        case .duplicateColumn(let header, let column):
            return lang.pick("列 \(header) 再次指定了 \(column)", "column \(header) names \(column) a second time")
        case .unknownKind(let k):
            return lang.pick("未知的导入类型 \(k)", "unknown import kind \(k)")
        case .fieldTooLong(_, let limit):
            return lang.pick("有一个值超过 \(limit / 1024) KiB（没有换行，或引号没有结束？）；整个文件被拒绝",
                             "a value is longer than \(limit / 1024) KiB (no line break, or a quote never closed?); the file is refused")
        case .recordTooLong(_, let limit):
            return lang.pick("该行超过 \(limit / 1024) KiB；整个文件被拒绝", "the row is longer than \(limit / 1024) KiB; the file is refused")
        case .invalidUTF8(_, let byte):
            return lang.pick("文件第 \(byte) 个字节处不是有效的 UTF-8 文本（请把文件另存为 UTF-8，或加上 --encoding gb18030）",
                             "the bytes at byte \(byte) of the file are not valid UTF-8 text (save the file as UTF-8, or pass --encoding gb18030)")
        }
    }

    /// One line per problem: `seekers.csv 第 1 行：缺少必填列 姓名（name）`.
    public static func lines(_ e: FileError, _ lang: Language = .current) -> [String] {
        e.problems.map { p in
            if let r = p.row { return lang.pick("\(e.file) 第 \(r) 行：", "\(e.file) row \(r): ") + rule(p, lang) }
            return lang.pick("\(e.file)：", "\(e.file): ") + rule(p, lang)
        }
    }

    /// One line: `seekers.csv 第 7 行，列 残疾人证号：值 410307********6627** — …`.
    public static func line(_ e: RowError, _ lang: Language = .current) -> String {
        lang.pick("\(e.file) 第 \(e.row) 行，列 \(column(e, lang))：值 \(shown(e.value, lang)) — \(rule(e.rule, lang))",
                  "\(e.file) row \(e.row), column \(column(e, lang)): value \(shown(e.value, lang)) — \(rule(e.rule, lang))")
    }

    /// The reason as the rejects file's last column shows it (no file and row: the row is that row).
    public static func reason(_ e: RowError, _ lang: Language = .current) -> String {
        "\(column(e, lang))\(lang.pick("：", ": "))\(shown(e.value, lang)) — \(rule(e.rule, lang))"
    }

    /// The reasons of one rejected row, joined.
    public static func reasons(_ errors: [RowError], _ lang: Language = .current) -> String {
        errors.map { reason($0, lang) }.joined(separator: lang.pick("；", "; "))
    }

    /// A value as a message shows it: on one line, cut when long, (empty) for nothing.
    static func shown(_ value: String, _ lang: Language) -> String {
        RowError.printable(value, empty: lang.pick("（空）", "(empty)"))
    }

    /// Something worth telling but not refusing: `提示：…` / `warning: …`.
    public static func warning(_ w: ImportWarning, _ lang: Language = .current) -> String {
        lang.pick("提示：", "warning: ") + warningText(w, lang)
    }

    static func warningText(_ w: ImportWarning, _ lang: Language) -> String {
        switch w {
        case .intake(let i):
            return lang.pick("\(i.file) 第 \(i.row) 行，列 \(i.column)：", "\(i.file) row \(i.row), column \(i.column): ") + intakeWarning(i.kind, lang)
        case .certificateReplaced(let old, let current):
            return lang.pick("残疾人证号 \(old) 已由同一人的 \(current) 取代；该行未导入",
                             "certificate \(old) was replaced by \(current) for the same person; its row was not loaded")
        case .certificateChanged(let rid):
            return lang.pick("身份证号 \(rid) 的残疾人证号已变更（残疾类别或等级重新评定）；新证号取代旧证号",
                             "certificate for \(rid) changed (a new category or grade); the newer certificate replaces the old one")
        case .possibleDuplicate(let a, let b):
            return lang.pick("可能重复：\(a) 与 \(b) 姓名和出生日期相同但身份证号不同；未合并，请核实（possible_duplicate 表，jobmatch duplicates）",
                             "possible duplicate: \(a) and \(b) have the same name and birth date but different resident IDs; not merged — check them (table possible_duplicate, jobmatch duplicates)")
        case .more(let n, .replacedCertificates):
            return lang.pick("……另有 \(n) 行的证号已被取代，未导入", "… and \(n) more rows with a replaced certificate, not loaded")
        case .more(let n, .changedCertificates):
            return lang.pick("……另有 \(n) 个证号已变更（seeker_certificate_history 表）", "… and \(n) more certificates changed (table seeker_certificate_history)")
        case .more(let n, .possibleDuplicates):
            return lang.pick("……另有 \(n) 对可能重复的人员（possible_duplicate 表）", "… and \(n) more possible duplicates (table possible_duplicate)")
        }
    }

    public static func intakeWarning(_ k: IntakeWarning.Kind, _ lang: Language = .current) -> String {
        switch k {
        case .unknownColumn(let kind):
            return lang.pick("不是 \(kind) 的列，其中的值不导入", "unknown column for \(kind); its values are ignored")
        case .moreUnknownColumns(let n):
            return lang.pick("另有 \(n) 个未知列，其中的值不导入", "and \(n) more unknown columns; their values are ignored")
        case .zeroPaddedID:
            return lang.pick("身份证号末尾 3 位都是 0，校验位虽然相符，也可能是电子表格只保留了 15 位有效数字后补的 0：请与证件原件核对",
                             "the resident ID ends in 000; its check character matches, but a spreadsheet may have kept 15 digits and filled the rest with 0: check it against the card")
        }
    }

    /// The column of a row error as a person reads it: a value under no header is `第 N 列（无列名）`.
    static func column(_ e: RowError, _ lang: Language) -> String {
        if case .strayValue(let n) = e.rule { return lang.pick("第 \(n) 列（无列名）", "column \(n) (no header)") }
        return e.column
    }

    /// `seekers.csv：导入 120 行（新增 100，变更 15，未变 5）`.
    public static func loaded(_ name: String, accepted: Int, inserted: Int, updated: Int, unchanged: Int,
                              renamed: Int, neighbourChanges: Int, _ lang: Language = .current) -> String {
        if lang == .zh {
            return "\(name)：导入 \(accepted) 行（新增 \(inserted)，变更 \(updated)，未变 \(unchanged)"
                + (renamed > 0 ? "；\(renamed) 个证号已更名" : "") + "）"
                + (neighbourChanges > 0 ? "，\(neighbourChanges) 条相邻关系有变更" : "")
        }
        return "\(name): \(accepted) rows loaded (\(inserted) new, \(updated) changed, \(unchanged) unchanged"
            + (renamed > 0 ? "; \(renamed) certificates renamed" : "") + ")"
            + (neighbourChanges > 0 ? ", \(neighbourChanges) neighbour links changed" : "")
    }

    /// `  各列变更：姓名 3，电话 1`.
    public static func columnChanges(_ changes: [(column: String, rows: Int)], _ lang: Language = .current) -> String {
        let list = changes.map { "\($0.column) \($0.rows)" }.joined(separator: lang.pick("，", ", "))
        return lang.pick("  各列变更：", "  changed per column: ") + list
    }

    /// With `--partial`: what was loaded and what was set aside.
    public static func partial(_ name: String, accepted: Int, rejected: Int, rejectsPath: String?, _ lang: Language = .current) -> String {
        if lang == .zh {
            return "\(name)：导入 \(accepted) 行，拒绝 \(rejected) 行" + (rejected > 0 ? "（已写入 \(rejectsPath ?? "")）" : "")
        }
        return "\(name): loaded \(accepted), rejected \(rejected)" + (rejected > 0 ? " (written to \(rejectsPath ?? ""))" : "")
    }

    /// Without `--partial`: every row is refused when one is bad.
    public static func rowsRejected(_ name: String, rows: Int, _ lang: Language = .current) -> String {
        lang.pick("\(name)：\(rows) 行被拒绝；未写入任何数据（请改正这些行，或使用 --partial --rejects 文件）",
                  "\(name): \(rows) rows rejected; nothing was written (fix them, or use --partial --rejects FILE)")
    }

    /// The last line of a refused file.
    public static func nothingWritten(_ name: String, _ lang: Language = .current) -> String {
        lang.pick("\(name)：未写入任何数据", "\(name): nothing was written")
    }

    /// A line about the file as a whole (a workbook's or format's own message).
    public static func aboutFile(_ name: String, _ text: String, _ lang: Language = .current) -> String {
        lang.pick("\(name)：\(text)", "\(name): \(text)")
    }
}
