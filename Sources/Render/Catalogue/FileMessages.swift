/// What the command line says about the files it reads and writes. `reason`
/// is the system's own text for the error (the CLI supplies it).
public enum FileMessages {
    /// What a path names when it is not a file.
    public enum NotAFile: Sendable, Hashable { case folder, device, other }

    public static func notAFile(_ path: String, _ what: NotAFile, _ lang: Language = .current) -> String {
        switch (what, lang) {
        case (.folder, .zh): "\(path)：是文件夹，不是文件；请指定一个 CSV 或 .xlsx 文件"
        case (.device, .zh): "\(path)：是设备，不是文件；请指定一个 CSV 或 .xlsx 文件"
        case (.other, .zh): "\(path)：不是普通文件；请指定一个 CSV 或 .xlsx 文件"
        case (.folder, .en): "\(path): is a folder, not a file; name a CSV or .xlsx file"
        case (.device, .en): "\(path): is a device, not a file; name a CSV or .xlsx file"
        case (.other, .en): "\(path): is not a regular file, not a file; name a CSV or .xlsx file"
        }
    }
    public static func cannotOpen(_ path: String, _ reason: String, _ lang: Language = .current) -> String {
        lang.pick("\(path)：无法打开读取（\(reason)）", "\(path): cannot be opened for reading (\(reason))")
    }
    public static func cannotRead(_ path: String, _ reason: String, _ lang: Language = .current) -> String {
        lang.pick("\(path)：读取失败（\(reason)），未写入任何数据", "\(path): reading failed (\(reason)); nothing was written")
    }
    public static func cannotWrite(_ path: String, _ reason: String, _ lang: Language = .current) -> String {
        lang.pick("\(path)：无法写入（\(reason)）", "\(path): cannot be written (\(reason))")
    }
    /// The reason `cannotWrite` gives when a folder cannot be made.
    public static func folderCannotBeCreated(_ lang: Language = .current) -> String {
        lang.pick("无法创建该文件夹", "the folder cannot be created")
    }
    public static func rejectsIsInput(_ path: String, _ lang: Language = .current) -> String {
        lang.pick("--rejects \(path) 就是输入文件本身；请另指定一个文件，否则输入文件会被覆盖",
                  "--rejects \(path) is the input file itself; name another file, or the input would be overwritten")
    }
}
