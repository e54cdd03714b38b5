/// What a command that writes says while no primary is writable (issue 18).
public enum FailoverMessage: Sendable, Hashable {
    /// Waiting for a writable primary, for at most `seconds`.
    case waiting(seconds: Int)
    /// Gave up: nothing was committed.
    case gaveUp
}

extension FailoverMessage {
    public func text(_ lang: Language = .current) -> String {
        switch self {
        case .waiting(let seconds):
            lang.pick("jobmatch: 暂无可写的数据库主节点（可能正在切换）；最多再等待 \(seconds) 秒，正在重试…",
                      "jobmatch: no writable database primary (a failover?); retrying for at most \(seconds) s…")
        case .gaveUp:
            lang.pick("没有可写的数据库主节点；请求未提交，可以重试",
                      "no writable database primary; the request was not committed and can be retried")
        }
    }
}
