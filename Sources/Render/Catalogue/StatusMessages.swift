/// What `jobmatch status` prints: row counts, the request queue, recent runs.
public enum StatusMessages {
    public static func rowsHeader(_ lang: Language = .current) -> String { lang.pick("各类数据行数：", "rows:") }

    /// `  seekers         1200`: the import kind (a command word) and its row count.
    public static func rowCount(kind: String, _ count: Int) -> String {
        "  \(kind.padding(toLength: 15, withPad: " ", startingAt: 0)) \(count)"
    }

    public static func requestsHeader(_ lang: Language = .current) -> String { lang.pick("匹配请求（最新在前）：", "requests (newest first):") }
    public static func runsHeader(_ lang: Language = .current) -> String { lang.pick("匹配运行（最新在前）：", "runs (newest first):") }
    public static func none(_ lang: Language = .current) -> String { lang.pick("  无", "  none") }

    /// A request's state as the queue stores it (`queued`, `running`, `done`, `failed`).
    public static func requestState(_ state: String, _ lang: Language = .current) -> String {
        guard lang == .zh else { return state }
        switch state {
        case "queued": return "排队中"
        case "running": return "运行中"
        case "done": return "已完成"
        case "failed": return "失败"
        default: return state
        }
    }

    /// `  #12 已完成 区域 410307 请求于 … 第 7 次运行 尝试 2 次 上次错误：…`.
    public static func request(id: Int64, state: String, region: String, requestedAt: String, runID: Int64?, attempts: Int,
                               lastError: String?, _ lang: Language = .current) -> String {
        if lang == .zh {
            return "  #\(id) \(requestState(state, lang)) 区域 \(region) 请求于 \(requestedAt)" + (runID.map { " 第 \($0) 次运行" } ?? "")
                + (attempts > 1 ? " 尝试 \(attempts) 次" : "") + (lastError.map { " 上次错误：\($0)" } ?? "")
        }
        return "  #\(id) \(state) region \(region) requested \(requestedAt)\(runID.map { " run \($0)" } ?? "")"
            + (attempts > 1 ? " attempts \(attempts)" : "") + (lastError.map { " last error: \($0)" } ?? "")
    }

    public static func run(id: Int64, region: String, date: String, placed: Int, seekers: Int, finishedAt: String,
                           _ lang: Language = .current) -> String {
        lang.pick("  第 \(id) 次运行 区域 \(region) 日期 \(date)：为 \(seekers) 名求职者推荐 \(placed) 条，完成于 \(finishedAt)",
                  "  run \(id) region \(region) date \(date): \(placed) proposals for \(seekers) seekers, finished \(finishedAt)")
    }
}
