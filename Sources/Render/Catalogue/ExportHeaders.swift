import Domain
import Quota

/// The Chinese headers of exports (CSV and .xlsx with `--headers zh`) and the
/// Chinese labels of their coded cells; with `--headers en` a column is its
/// English name and a code is itself.
public enum ExportHeaders {
    /// A column's header; a name the catalogue lacks is shown as it is.
    public static func header(_ column: ExportTable.Column, _ headers: ExportTable.Headers) -> String {
        headers == .zh ? chinese[column.en] ?? column.en : column.en
    }

    /// A coded cell's label (`--headers zh`); an unknown code is shown as it is.
    public static func label(_ code: String, _ family: ExportTable.Codes, _ headers: ExportTable.Headers) -> String {
        guard headers == .zh else { return code }
        switch family {
        case .openingKind: return OpeningKind(codeOrLabel: code).map { Labels.kind($0, .zh) } ?? code
        case .unmatchedReason: return ["no_eligible_opening": "没有符合条件的岗位", "outcompeted": "岗位已由他人取得"][code] ?? code
        case .placementSource: return ["import": "导入", "confirmed": "匹配确认"][code] ?? code
        case .reviewStatus: return ReviewStatus(rawValue: code).map { Labels.reviewStatus($0, .zh) } ?? code
        }
    }

    static let chinese: [String: String] = [
        // proposals, candidates, unmatched
        "proposal_id": "推荐编号", "run_id": "运行编号", "certificate_no": "残疾人证号", "name": "姓名", "town": "所在镇街",
        "opening_id": "岗位编号", "opening_title": "岗位名称", "opening_kind": "岗位类型", "category": "岗位类别",
        "opening_town": "工作地点", "score": "匹配分", "reasons": "推荐理由", "confirmed_at": "确认时间",
        "reason": "未安排原因", "detail": "说明", "openings": "涉及岗位",
        // reviews
        "credit_code": "统一社会信用代码", "employer_name": "单位名称", "year": "年度", "version": "版本", "status": "审核状态",
        "employees": "在职职工人数", "required": "应安排人数", "counted": "已安排人数", "shortfall": "差额人数",
        "excess": "超比例人数", "ratio": "安排比例", "exempt": "小微企业免征", "levy": "保障金（元）",
        "reward": "超比例奖励（元）", "reviewed_at": "审核时间",
        // placements
        "start_date": "开始日期", "end_date": "结束日期", "monthly_wage": "月工资（元）", "contract_months": "合同月数",
        "employer_credit_code": "统一社会信用代码", "source": "来源",
        // indicators
        "code": "指标代码", "indicator": "指标", "unit": "单位", "value": "数值", "amount": "金额（元）", "target": "目标",
        "target_period": "目标期", "target_source": "目标来源", "note": "口径说明",
    ]
}
