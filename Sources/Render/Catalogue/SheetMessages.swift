import Sheets

/// Why a file or workbook cannot be imported, and what to do.
public enum SheetMessages {
    /// A file format jobmatch does not read; nil for one it reads.
    public static func refusal(_ f: FileFormat, _ lang: Language = .current) -> String? {
        switch f {
        case .zip, .text: return nil
        case .ole2:
            return lang.pick("这是 Excel 97–2003（.xls）或旧版 WPS 工作簿，jobmatch 不读取：请另存为 .xlsx（Excel 工作簿）或 CSV UTF-8 后再导入",
                             "this is an Excel 97–2003 (.xls) or old WPS workbook, which jobmatch does not read: save it as .xlsx (Excel 工作簿) or as CSV UTF-8, and import that")
        case .utf16:
            return lang.pick("这是 UTF-16 文本（“Unicode 文本”）：请另存为 .xlsx（Excel 工作簿）或 CSV UTF-8（逗号分隔）后再导入",
                             "this is UTF-16 text (\"Unicode 文本\"): save it as .xlsx (Excel 工作簿) or as CSV UTF-8 (逗号分隔), and import that")
        }
    }

    public static func problem(_ e: SheetError, _ lang: Language = .current) -> String { problem(e.problem, lang) }

    public static func problem(_ p: SheetProblem, _ lang: Language = .current) -> String {
        switch p {
        case .cannotOpen: return lang.pick("无法打开读取", "cannot be opened for reading")
        case .cannotRead: return lang.pick("无法读取", "cannot be read")
        case .damagedArchive:
            return lang.pick("不是有效的 .xlsx 工作簿（ZIP 目录已损坏）", "the file is not a valid .xlsx workbook (its ZIP directory is damaged)")
        case .partDamaged(let part): return lang.pick("工作簿的部件 \(part) 已损坏", "the workbook part \(part) is damaged")
        case .partTooLarge(let part): return lang.pick("工作簿的部件 \(part) 过大", "the workbook part \(part) is too large")
        case .encrypted:
            return lang.pick("工作簿已加密（设置了密码）：请取消密码后另存再导入", "the workbook is encrypted (password-protected): save it without a password")
        case .unknownCompression(let part, let method):
            return lang.pick("工作簿的部件 \(part) 使用了无法识别的压缩方式（方法 \(method)）",
                             "the workbook part \(part) uses a compression this reader does not know (method \(method))")
        case .notWellFormed(let part, let detail):
            return lang.pick("工作簿的部件 \(part) 不是格式正确的 XML（\(detail)）", "the workbook part \(part) is not well-formed XML (\(detail))")
        case .sharedStringsTooLarge: return lang.pick("工作簿的共享字符串超过 4 GiB", "the workbook's shared strings exceed 4 GiB")
        case .sharedStringsUnreadable: return lang.pick("无法读回工作簿的共享字符串", "the workbook's shared strings could not be read back")
        case .sharedStringsUnwritable(let reason):
            return lang.pick("无法把工作簿的共享字符串写入临时文件：\(reason)",
                             "the workbook's shared strings could not be written to a temporary file: \(reason)")
        case .noTemporaryFile(let folder, let reason):
            return lang.pick("无法为工作簿的共享字符串建立临时文件（\(folder)）：\(reason)",
                             "no temporary file for the workbook's shared strings (\(folder)): \(reason)")
        case .other(let text): return text
        }
    }
}

extension SheetMessages {
    public static func sheetNeedsWorkbook(_ name: String, _ lang: Language = .current) -> String {
        lang.pick("--sheet 只用于 .xlsx 工作簿；\(name) 是文本文件", "--sheet goes with an .xlsx workbook; \(name) is text")
    }
}
