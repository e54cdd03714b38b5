/// What a command that writes says while no primary is writable (issue 18).
public enum FailoverMessage: Sendable, Hashable {
    /// Waiting for a writable primary, for at most `seconds`.
    case waiting(seconds: Int)
    /// Gave up: nothing was committed.
    case gaveUp
    /// Gave up after a try whose COMMIT was sent but never answered: it may have taken effect.
    case gaveUpUnknown
    /// A refusal after a try whose COMMIT was never answered: the refusal may be that try's own doing.
    case mayHaveTakenEffect
    /// The input came through a pipe and was read in part: it cannot be read again for a retry.
    case pipeNotRepeatable(file: String)
    /// `policy set` of a row that is in force already, the same in every field: not added twice.
    case policyAlreadyThere(id: Int64, key: String)
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
        case .gaveUpUnknown:
            lang.pick("没有可写的数据库主节点；上一次提交时连接中断，结果未知（可能已经生效），请先查看再决定是否重试",
                      "no writable database primary; the connection was lost while the last try committed, so it may have taken effect: check before trying again")
        case .mayHaveTakenEffect:
            lang.pick("jobmatch: 注意：上一次尝试提交时连接中断，可能已经生效；以上拒绝可能正是因为它已生效，请先查看",
                      "jobmatch: note: the connection was lost while an earlier try committed, so it may have taken effect; the refusal above may be because it did: check first")
        case .pipeNotRepeatable(let file):
            lang.pick("\(file)：来自管道，已读过一部分，数据库切换后无法重读；未导入任何行，请重新运行",
                      "\(file): read from a pipe and partly consumed, so it cannot be read again after the database failover; nothing was imported: run the command again")
        case .policyAlreadyThere(let id, let key):
            lang.pick("政策参数 #\(id)（\(key)）已在册，内容相同，未重复添加",
                      "policy parameter #\(id) (\(key)) is in the book already, the same in every field; not added again")
        }
    }
}
