/// An approved declaration's 审核确认书 as stored: the values `ConfirmationLetter`
/// (Render) prints. Read by `CertifyStore.letter`.
public struct CertificationLetter: Sendable {
    public var creditCode: String
    public var employerName: String
    public var year: Int
    public var version: Int
    public var letterNo: String
    public var verificationCode: String
    public var approvedAt: String
    public var approvedBy: String
    public var reviewID: Int64
    public var reviewVersion: Int
    /// The stored review's JSON (`review.result`), the figures' one source.
    public var reviewJSON: String
    public var levyFen: Int64?
    public var rewardFen: Int64?
    /// Still in force (not reopened since).
    public var current: Bool
    public init(creditCode: String, employerName: String, year: Int, version: Int, letterNo: String, verificationCode: String, approvedAt: String, approvedBy: String, reviewID: Int64, reviewVersion: Int, reviewJSON: String, levyFen: Int64?, rewardFen: Int64?, current: Bool) {
        self.creditCode = creditCode; self.employerName = employerName; self.year = year; self.version = version; self.letterNo = letterNo; self.verificationCode = verificationCode; self.approvedAt = approvedAt; self.approvedBy = approvedBy; self.reviewID = reviewID; self.reviewVersion = reviewVersion; self.reviewJSON = reviewJSON; self.levyFen = levyFen; self.rewardFen = rewardFen; self.current = current
    }
}
