import Domain

/// The plan's main indicators (专栏1 主要指标) that jobmatch's data supports,
/// for `export indicators --year Y` and the report (CONTRACT.md §5). Pure: the
/// counts come in as `IndicatorFacts` (Store counts them with SQL), the
/// indicators go out beside their targets.
///
/// Example: 640 registered seekers of whom 160 were in work during Y give a
/// coverage of 160/640 = `0.25`.
public enum PlanIndicators {
    /// A target of the plan.
    public struct Target: Sendable, Hashable {
        /// The target figure.
        public let value: Rational
        /// The years it covers (a period target is cumulative over them).
        public let period: ClosedRange<Int>
        /// Where it is written.
        public let source: String
    }

    /// The plan's targets, by indicator code: data, not logic — a new plan
    /// period is a new row here. Source: 偃师区“十四五”残疾人保障和发展规划
    /// (2021–2025), 专栏1 主要指标, quoted as the plan words it: “城乡残疾人培训人数
    /// （人）1000” — persons (人), not training records (人次; issue 12). The plan
    /// sets no district figure for the other indicators jobmatch can count, so
    /// they are shown without a target.
    public static let targets: [String: Target] = [
        "trained_plan_period": Target(value: Rational(1000), period: 2021...2025,
                                      source: "偃师区“十四五”残疾人保障和发展规划 专栏1 主要指标：“城乡残疾人培训人数（人）1000”"),
    ]

    /// The plan period the cumulative indicators count over.
    public static let planPeriod: ClosedRange<Int> = 2021...2025

    /// One indicator of year Y.
    public struct Indicator: Sendable, Hashable {
        /// Stable code, e.g. `placements_quota`.
        public let code: String
        /// Chinese name.
        public let label: String
        /// 人, 人次, 户, 个, 家, 比例 or 元.
        public let unit: String
        /// A count or ratio (nil for money).
        public let value: Rational?
        /// Money (nil for counts).
        public let amount: Fen?
        /// The plan's target, if it sets one.
        public let target: Target?
        /// How it is counted, in Chinese.
        public let note: String
    }

    /// Indicators computed from `facts`, in the order of the plan's table.
    public static func compute(_ f: IndicatorFacts) -> [Indicator] {
        let y = f.year
        func n(_ code: String, _ label: String, _ unit: String, _ value: Int, _ note: String) -> Indicator {
            Indicator(code: code, label: label, unit: unit, value: Rational(value), amount: nil, target: targets[code], note: note)
        }
        var out = [
            n("seekers_registered_total", "登记求职残疾人（累计）", "人", f.seekersRegisteredTotal, "登记日期在\(y)年末以前（或未填）的持证求职登记人数"),
            n("seekers_registered_in_year", "本年新登记求职残疾人", "人", f.seekersRegisteredInYear, "登记日期在\(y)年内"),
            n("trained_in_year", "本年完成职业技能培训人数", "人", f.trainedPersonsInYear,
              "有已结业、结业（或开始）日期在\(y)年内的培训的人数（一人多次培训计一人）"),
            n("trained_in_year_times", "本年完成职业技能培训人次", "人次", f.trainedInYear, "已结业、结业（或开始）日期在\(y)年内的培训"),
            n("trained_plan_period", "规划期城乡残疾人培训人数", "人", f.trainedPersonsInPlanPeriod,
              "有已结业、日期在\(planPeriod.lowerBound)年至\(min(y, planPeriod.upperBound))年的培训的人数（一人多次培训计一人；规划期\(planPeriod.lowerBound)–\(planPeriod.upperBound)年）"),
            n("trained_plan_period_times", "规划期累计完成培训人次", "人次", f.trainedInPlanPeriod,
              "已结业、日期在\(planPeriod.lowerBound)年至\(min(y, planPeriod.upperBound))年的培训记录数"),
            n("placements_in_year", "本年新增安置就业（合计）", "人", f.placementsByKind.values.reduce(0, +), "开始日期在\(y)年内的安置（含匹配确认）"),
        ]
        for kind in OpeningKind.allCases {
            out.append(n("placements_\(kind.code)", "本年新增安置：\(kind.label)", "人", f.placementsByKind[kind] ?? 0, "开始日期在\(y)年内、岗位类型为\(kind.label)"))
        }
        out += [
            n("welfare_posts_filled", "公益性岗位安置残疾人（本年在岗）", "人", f.welfarePostsFilled, "\(y)年内任一天在公益性岗位上的安置人数"),
            n("welfare_post_slots", "公益性岗位名额", "个", f.welfarePostSlots, "\(y)年内开放的公益性岗位名额合计"),
            n("zero_employment_households_lifted", "零就业家庭实现就业", "户", f.householdsLifted,
              "家庭就业人数为0、且有成员获得\(y)年内开始的安置的家庭"),
            Indicator(code: "coverage_placed_share", label: "登记求职残疾人在岗比例", unit: "比例",
                      value: f.seekersRegisteredTotal == 0 ? nil : Rational(Int128(f.seekersPlacedInYear), Int128(f.seekersRegisteredTotal)),
                      amount: nil, target: targets["coverage_placed_share"],
                      note: "\(y)年内有有效安置的人数（\(f.seekersPlacedInYear)）÷ 登记求职残疾人累计（\(f.seekersRegisteredTotal)）"),
            n("employers_reviewed", "按比例就业年审单位", "家", f.employersReviewed, "\(y)年度最新审核版本中状态为“已审核”的单位"),
            Indicator(code: "levy_total", label: "残疾人就业保障金合计", unit: "元", value: nil, amount: f.levy, target: nil,
                      note: "\(y)年度各单位最新审核版本的保障金之和（\(y + 1)年缴纳）"),
            Indicator(code: "reward_total", label: "超比例安排奖励合计", unit: "元", value: nil, amount: f.reward, target: nil,
                      note: "\(y)年度各单位最新审核版本的超比例奖励之和"),
        ]
        return out
    }
}

/// The counts the indicators of year Y rest on (Store counts them with SQL).
public struct IndicatorFacts: Sendable, Hashable {
    /// Y.
    public var year: Int
    /// Seekers registered by the end of Y (or with no registration date).
    public var seekersRegisteredTotal: Int
    /// Seekers registered during Y.
    public var seekersRegisteredInYear: Int
    /// Completed trainings ending (or, without an end date, starting) in Y.
    public var trainedInYear: Int
    /// Completed trainings of the plan period up to the end of Y.
    public var trainedInPlanPeriod: Int
    /// Distinct persons with a completed training ending (or starting) in Y.
    public var trainedPersonsInYear = 0
    /// Distinct persons with a completed training of the plan period up to the end of Y.
    public var trainedPersonsInPlanPeriod = 0
    /// Placements starting in Y, by the opening's kind.
    public var placementsByKind: [OpeningKind: Int]
    /// Placements in public-welfare openings active on some day of Y.
    public var welfarePostsFilled: Int
    /// Slots of public-welfare openings open on some day of Y.
    public var welfarePostSlots: Int
    /// Zero-employment households (employed_members = 0) with a member placed from Y.
    public var householdsLifted: Int
    /// Registered seekers with a placement active on some day of Y.
    public var seekersPlacedInYear: Int
    /// Employers whose latest review of Y is `reviewed`.
    public var employersReviewed: Int
    /// Σ levy of the latest reviews of Y.
    public var levy: Fen
    /// Σ reward of the latest reviews of Y.
    public var reward: Fen

    /// Every field given.
    public init(year: Int, seekersRegisteredTotal: Int, seekersRegisteredInYear: Int, trainedInYear: Int, trainedInPlanPeriod: Int,
                placementsByKind: [OpeningKind: Int], welfarePostsFilled: Int, welfarePostSlots: Int, householdsLifted: Int,
                seekersPlacedInYear: Int, employersReviewed: Int, levy: Fen, reward: Fen) {
        self.year = year; self.seekersRegisteredTotal = seekersRegisteredTotal; self.seekersRegisteredInYear = seekersRegisteredInYear
        self.trainedInYear = trainedInYear; self.trainedInPlanPeriod = trainedInPlanPeriod; self.placementsByKind = placementsByKind
        self.welfarePostsFilled = welfarePostsFilled; self.welfarePostSlots = welfarePostSlots; self.householdsLifted = householdsLifted
        self.seekersPlacedInYear = seekersPlacedInYear; self.employersReviewed = employersReviewed; self.levy = levy; self.reward = reward
    }
}
