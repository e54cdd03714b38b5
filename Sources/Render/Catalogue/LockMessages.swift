import Domain

/// What a command says while another one holds the lock it needs (issue 17).
public enum LockMessages {
    public static func work(_ w: LockedWork, _ lang: Language = .current) -> String {
        switch w {
        case .migration: lang.pick("另一个 jobmatch migrate", "another `jobmatch migrate`")
        case .matchingRun(let region): lang.pick("区域 \(region) 的另一次匹配运行", "another matching run of region \(region)")
        case .review(let year): lang.pick("\(year) 年度的另一次审核", "another review of \(year)")
        case .importing: lang.pick("另一次导入", "another import")
        }
    }

    /// `正在等待区域 410307 的另一次匹配运行结束（至多 600 秒）…`.
    public static func waiting(_ w: LockedWork, seconds: Int, _ lang: Language = .current) -> String {
        lang.pick("正在等待\(work(w, lang))结束（至多 \(seconds) 秒）…", "waiting for \(work(w, lang)) to finish (at most \(seconds) s)…")
    }

    public static func timedOut(_ w: LockedWork, seconds: Int, _ lang: Language = .current) -> String {
        lang.pick("已等待 \(seconds) 秒，\(work(w, lang))仍未结束，已放弃；请在其结束后重试",
                  "gave up after \(seconds) s waiting for \(work(w, lang)) to finish; try again when it is done")
    }
}
