/// A database failure (exit 1) as the command line classifies it (issue 17):
/// never an internal type's name, an SQLSTATE dump or a server message that
/// may quote values.
public enum DatabaseFailure: Sendable, Hashable {
    case transactionFailed
    case connectionLost
    case cannotConnect
    case unexpectedAnswer
    /// 40P01, 40001
    case concurrentChange
    /// 23505
    case conflict
    /// 23503, 23514, 23502, 23P01
    case ruleBroken
    /// 55P03
    case lockTimeout
    /// 57014
    case cancelled
    /// 42501
    case permission
    /// class 22
    case outOfRange
    /// class 53
    case outOfResources
    /// class 57
    case shuttingDown
    case refused
}

extension DatabaseFailure {
    /// The failure in words a person reads.
    public func text(_ lang: Language = .current) -> String {
        switch self {
        case .transactionFailed: lang.pick("数据库事务失败，未作任何更改", "the database transaction failed; nothing was changed")
        case .connectionLost:
            lang.pick("与数据库的连接中断；请确认数据库正在运行后重试",
                      "the connection to the database was lost; check that the database is running and try again")
        case .cannotConnect:
            lang.pick("无法连接数据库；请检查数据库地址并确认数据库正在运行",
                      "could not connect to the database; check the database address and that it is running")
        case .unexpectedAnswer: lang.pick("数据库的应答不符合预期，未作任何更改", "the database did not answer as expected; nothing was changed")
        case .concurrentChange:
            lang.pick("另一条命令同时修改了相同的数据，未作任何更改；请重新运行",
                      "another command changed the same data at the same time; nothing was changed, run it again")
        case .conflict:
            lang.pick("另一条命令同时保存了相同的记录，或数据与已保存的数据冲突，未作任何更改",
                      "another command stored the same records at the same time, or the data conflicts with what is stored; nothing was changed")
        case .ruleBroken:
            lang.pick("数据违反了数据库的规则（引用或检查约束），未作任何更改",
                      "the data breaks a rule of the database (a reference or a check); nothing was changed")
        case .lockTimeout:
            lang.pick("等待另一条处理相同数据的命令超时，未作任何更改；请待其完成后重试",
                      "gave up waiting for another command working on the same data; nothing was changed, try again when it is done")
        case .cancelled: lang.pick("数据库取消了该命令，未作任何更改", "the database cancelled the command; nothing was changed")
        case .permission:
            lang.pick("数据库账户缺少该命令所需的权限，未作任何更改",
                      "the database account lacks a permission this command needs; nothing was changed")
        case .outOfRange: lang.pick("有数值超出数据库可接受的范围，未作任何更改", "a value is out of the range the database accepts; nothing was changed")
        case .outOfResources:
            lang.pick("数据库服务器资源不足（磁盘、内存或连接数），未作任何更改",
                      "the database server is out of resources (disk, memory or connections); nothing was changed")
        case .shuttingDown: lang.pick("数据库服务器正在关闭或重启，请稍后重试", "the database server is shutting down or restarting; try again shortly")
        case .refused: lang.pick("数据库拒绝了该命令，未作任何更改", "the database refused the command; nothing was changed")
        }
    }
}
