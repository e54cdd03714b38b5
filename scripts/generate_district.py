#!/usr/bin/env python3
"""Generate a synthetic district (or several) in jobmatch's CSV formats.

    python3 scripts/generate_district.py --seed 410307 --seekers 300 --out examples/yanshi

writes the nine files of CONTRACT.md §2 and POLICY.md §1 (regions, households,
seekers, trainings, employers, openings, employer-years, rosters, placements).
The same arguments always give byte-identical files. Everything is fictitious:
names are drawn from common characters, identity numbers are made up (with
correct check characters), phone numbers follow dummy patterns.

The first district is Yanshi (偃师区 410307) with its 13 real towns and
sub-districts; further districts (`--districts K`, default one per 5,000
seekers) are synthetic, with 13 towns each and codes 4103xx that no real
district uses. `--verify DIR` reads a directory back (any encoding or header
language) and checks identities, references and keys; `--check` does that to
`--out` after writing. Python 3 standard library only.
"""

import argparse
import bisect
import csv
import datetime as dt
import math
import operator
import os
import random
import sys
from fractions import Fraction

D = dt.date

# ---------------------------------------------------------------- identities

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
CC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]  # GB 11714 organisation code


def id_check(d17):
    """GB 11643 check character (ISO 7064 MOD 11-2) for 17 digits."""
    return ID_CHECK[(sum(map(operator.mul, ID_WEIGHTS, d17.encode())) - 48 * sum(ID_WEIGHTS)) % 11]


def parse_resident_id(s):
    """(birth date, sex 'M'/'F') of a valid resident ID, else None."""
    if len(s) != 18 or not s[:17].isdigit() or not s[:17].isascii():
        return None
    if s[17].upper() != id_check(s[:17]):
        return None
    try:
        birth = D(int(s[6:10]), int(s[10:12]), int(s[12:14]))
    except ValueError:
        return None
    if birth.year < 1900:
        return None
    return birth, ("M" if int(s[16]) % 2 else "F")


def parse_certificate(s):
    """(birth, sex, category, grade) of a valid 残疾人证号 (reissue suffix allowed), else None."""
    if len(s) < 20:
        return None
    rid = parse_resident_id(s[:18])
    if rid is None or s[18] not in "1234567" or s[19] not in "1234":
        return None
    rest = s[20:]
    if rest and not (rest[0] in "Bb" and 2 <= len(rest) <= 4 and rest[1:].isdigit() and int(rest[1:]) >= 1):
        return None
    return rid[0], rid[1], int(s[18]), int(s[19])


def cc_check(head17):
    """GB 32100 check character for 17 characters of the code's alphabet."""
    total = sum(w * CC_ALPHABET.index(c) for w, c in zip(CC_WEIGHTS, head17))
    return CC_ALPHABET[(31 - total % 31) % 31]


def valid_credit_code(s):
    s = s.upper()
    return len(s) == 18 and all(c in CC_ALPHABET for c in s) and cc_check(s[:17]) == s[17]


def org_check(head8):
    """GB 11714 check character of a 9-character organisation code."""
    total = sum(w * int(c, 36) for w, c in zip(ORG_WEIGHTS, head8))
    v = 11 - total % 11
    return "X" if v == 10 else ("0" if v == 11 else str(v))


def make_resident_id(area, birth, seq3):
    d17 = "%s%04d%02d%02d%03d" % (area, birth.year, birth.month, birth.day, seq3)
    return d17 + id_check(d17)


def make_credit_code(rng, prefix2, area, new_style):
    """An 18-character credit code: prefix (91 enterprise, 92 individual,
    11 agency, 12 institution, 52 social organisation), area, organisation
    code (8 digits, or `MA` + 6 for registrations since 2015) and checks."""
    while True:
        if new_style:
            body = "MA" + "".join(rng.choice(CC_ALPHABET[:10] + "ABCDEFGHJKLMNPQRTUWXY") for _ in range(6))
        else:
            body = "%08d" % rng.randrange(10000000, 99999999)
        org = body + org_check(body)
        if all(c in CC_ALPHABET for c in org):
            head = prefix2 + area + org
            code = head + cc_check(head)
            assert valid_credit_code(code)
            return code


# ---------------------------------------------------------------- vocabulary

CATEGORIES = [  # CONTRACT §2.1
    ("cleaner_rural", "乡村保洁员"), ("water_manager", "水管员"), ("road_keeper", "护路员"),
    ("forest_ranger", "生态护林员"), ("relief_assistant", "社会救助协理员"),
    ("library_keeper", "农家书屋管理员"), ("community_service", "社区服务人员"),
    ("office", "文员"), ("agriculture", "种植养殖"), ("massage_medical", "盲人医疗按摩"),
    ("massage_health", "盲人保健按摩"), ("online_service", "网络客服"), ("livestream", "直播带货"),
    ("courier", "物流快递"), ("handicraft", "手工制作"), ("assembly", "生产装配"),
    ("retail", "小店经营"), ("other", "其他"),
]
CATEGORY_NAME = dict(CATEGORIES)

LABELS = {
    "education": {"none": "未上学", "primary": "小学", "junior": "初中", "senior": "高中", "vocational": "中专",
                  "college": "大专", "bachelor": "本科", "postgraduate": "研究生"},
    "work_capacity": {"full": "完全", "partial": "部分", "assisted": "辅助性"},
    "flags": {"dibao": "低保", "poverty_alleviated": "脱贫户", "monitored": "监测户"},
    "status": {"seeking": "求职", "employed": "已就业", "inactive": "暂停"},
    "type": {"enterprise": "企业", "agency": "机关", "institution": "事业单位", "social_org": "社会组织",
             "individual": "个体工商户"},
    "kind": {"public_welfare": "公益性岗位", "quota": "按比例就业", "assisted": "辅助性就业", "general": "其他"},
    "reach": {"town": "本镇街", "neighbours": "本镇街及相邻", "district": "全区"},
    "category": CATEGORY_NAME,
    "intentions": CATEGORY_NAME,
}
BOOLEAN_COLUMNS = {"concentrated", "completed", "establishment", "new_graduate"}
LIST_COLUMNS = {"neighbours", "flags", "skills", "certificates", "intentions", "demands",
                "required_certificates", "required_skills", "preferred_skills", "monthly_headcounts"}
MONEY_COLUMNS = {"total_wages"}

# Column order per file, with the Chinese alias each is written as under --headers zh.
COLUMNS = {
    "regions": [("code", "区划代码"), ("name", "名称"), ("parent_code", "上级代码"), ("neighbours", "相邻")],
    "households": [("household_id", "家庭编号"), ("town_code", "镇街代码"), ("employed_members", "就业人数"),
                   ("flags", "帮扶标记")],
    "seekers": [("certificate_no", "残疾人证号"), ("name", "姓名"), ("town_code", "镇街代码"),
                ("household_id", "家庭编号"), ("education", "文化程度"), ("graduation_year", "毕业年份"),
                ("skills", "技能"), ("certificates", "证书"), ("intentions", "求职意向"),
                ("work_capacity", "劳动能力"), ("flags", "帮扶标记"), ("status", "求职状态"),
                ("registered_on", "登记日期"), ("phone", "联系电话")],
    "trainings": [("certificate_no", "残疾人证号"), ("course", "培训项目"), ("skill", "技能"),
                  ("start_date", "开始日期"), ("end_date", "结束日期"), ("completed", "是否结业")],
    "employers": [("credit_code", "统一社会信用代码"), ("name", "单位名称"), ("town_code", "镇街代码"),
                  ("type", "单位性质"), ("concentrated", "集中就业单位")],
    "openings": [("opening_id", "岗位编号"), ("kind", "岗位类型"), ("employer_credit_code", "统一社会信用代码"),
                 ("category", "岗位类别"), ("title", "岗位名称"), ("town_code", "工作地点"), ("slots", "招聘人数"),
                 ("reach", "招聘范围"), ("demands", "岗位要求"), ("min_age", "最低年龄"), ("max_age", "最高年龄"),
                 ("required_certificates", "所需证书"), ("required_skills", "所需技能"),
                 ("preferred_skills", "优先技能"), ("monthly_wage", "月工资"), ("hours_per_week", "周工时"),
                 ("open_from", "开始招聘日期"), ("open_until", "截止日期")],
    "employer-years": [("credit_code", "统一社会信用代码"), ("year", "年度"), ("employees", "在职职工年平均人数"),
                       ("monthly_headcounts", "月度人数"), ("total_wages", "职工工资总额")],
    "rosters": [("credit_code", "统一社会信用代码"), ("year", "年度"), ("certificate_no", "残疾人证号"),
                ("veteran_certificate_no", "残疾军人证号"), ("veteran_grade", "残疾军人等级"),
                ("resident_id", "身份证号"), ("contract_start", "合同开始日期"), ("contract_end", "合同结束日期"),
                ("establishment", "在编"), ("months_paid", "缴费月数"), ("lowest_monthly_wage", "最低月工资"),
                ("new_graduate", "应届高校毕业生")],
    "placements": [("certificate_no", "残疾人证号"), ("opening_id", "岗位编号"), ("start_date", "开始日期"),
                   ("end_date", "结束日期"), ("monthly_wage", "月工资"), ("contract_months", "合同月数")],
}
FILES = ["regions", "households", "seekers", "trainings", "employers", "openings", "employer-years",
         "rosters", "placements"]

YANSHI_CODE = "410307"
YANSHI_NAME = "偃师区"
YANSHI_TOWNS = [  # code suffix, name, urban, relative weight of registered disabled residents
    ("004", "首阳山街道", True, 1.1), ("005", "商城街道", True, 0.9), ("006", "槐新街道", True, 0.8),
    ("007", "伊洛街道", True, 0.8), ("103", "翟镇镇", False, 1.2), ("104", "岳滩镇", False, 1.1),
    ("105", "顾县镇", False, 1.1), ("106", "缑氏镇", False, 1.0), ("107", "府店镇", False, 0.9),
    ("108", "高龙镇", False, 0.8), ("109", "山化镇", False, 0.8), ("110", "大口镇", False, 0.8),
    ("111", "邙岭镇", False, 0.7),
]
# Adjacency as best known: the four urban sub-districts around the centre,
# 翟镇 south-west across the Luo, 岳滩 and 邙岭 north and east, 顾县 south-east
# of the centre, 缑氏/府店/大口 further south-east, 高龙 and 山化 east.
YANSHI_EDGES = [
    ("004", "005"), ("004", "006"), ("004", "007"), ("005", "006"), ("005", "007"), ("006", "007"),
    ("004", "103"), ("004", "111"), ("005", "104"), ("005", "111"), ("006", "103"), ("006", "105"),
    ("007", "104"), ("007", "105"), ("103", "105"), ("104", "105"), ("104", "108"), ("104", "109"),
    ("104", "111"), ("105", "106"), ("105", "108"), ("106", "107"), ("106", "108"), ("106", "110"),
    ("107", "110"), ("108", "109"), ("108", "110"), ("109", "111"),
]
# Codes of 4103xx that no real district of Luoyang uses (410371 高新区 and
# 410381 former 偃师市 left out), for synthetic districts.
SYNTHETIC_DISTRICT_CODES = ["4103%02d" % i for i in range(31, 100) if i not in (71, 81)]
# Registration areas of people who moved in (neighbouring counties).
OTHER_AREAS = ["410322", "410323", "410327", "410329", "410181", "410185", "410303", "410311"]

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁"
            "魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎"
            "易常武乔贺赖龚文牛樊申翟焦耿屈")
SURNAME_WEIGHTS = [12, 11, 10, 8, 6, 5, 4, 3] + [2] * 20 + [1] * (len(SURNAMES) - 28)
GIVEN_OLD_M = "建国军平志强伟明华勇刚新民保卫东红兴国庆德福学林海文振洪群发春生"
GIVEN_OLD_F = "秀英兰桂芳玉梅凤霞珍淑红丽萍娟琴翠花春荣敏云芬爱"
GIVEN_NEW_M = "浩宇轩博涛鹏磊鑫杰晨阳昊然泽睿凯航帅毅超旭东亮"
GIVEN_NEW_F = "婷静丹雪佳欣怡悦璐琳涵萱彤瑶颖慧洁蕾晶妍雯倩"
PLACE_SYLLABLES = "东西南北河柳桥店庄湾坡岭山川园集寨营铺屯沟坪泉林桑杨槐枣梨杏石龙凤鹤马金银白青新安宁平和兴丰吉祥福寿永乐清源"
FIRM_WORDS = ["鼎泰", "恒兴", "华亿", "顺通", "锦华", "明视", "九鼎", "丰禾", "佳禾", "联创", "盛达", "智启",
              "嵩岳", "河图", "宏图", "金源", "瑞丰", "天成", "博远", "景和", "永昌", "新程", "汇通", "德润",
              "安泰", "广源", "兴业", "中豫", "伊川", "洛源"]
FIRM_TRADES = [("机械有限公司", "assembly"), ("电子商务有限公司", "livestream"), ("物流有限公司", "courier"),
               ("服饰有限公司", "assembly"), ("食品有限公司", "assembly"), ("建材有限公司", "assembly"),
               ("信息服务有限公司", "online_service"), ("农业科技有限公司", "agriculture"),
               ("家政服务有限公司", "community_service"), ("眼镜有限公司", "assembly"),
               ("钢制家具有限公司", "assembly"), ("工艺品有限公司", "handicraft"), ("商贸有限公司", "retail")]
BUREAUS = ["民政局", "人力资源和社会保障局", "农业农村局", "交通运输局", "自然资源局", "财政局", "水利局",
           "市场监督管理局", "医疗保障局", "退役军人事务局"]
INSTITUTIONS = ["人民医院", "中医院", "文化馆", "图书馆", "疾病预防控制中心", "第一高级中学", "妇幼保健院",
                "社会福利院", "公共就业服务中心", "职业技术学校"]

COURSES = {
    "massage": "盲人保健按摩培训班", "computer": "计算机基础应用培训", "customer_service": "网络客服技能培训",
    "livestream": "电商直播带货培训", "handicraft": "手工编织与串珠培训", "sewing": "缝纫工培训",
    "farming": "种植养殖实用技术培训", "braille": "盲文与读屏软件培训", "driving": "残疾人机动车驾驶培训",
}

# Seeker skills by disability category: (skill, probability).
SKILLS_BY_CATEGORY = {
    1: [("massage", .6), ("braille", .4), ("computer", .1), ("customer_service", .1)],
    2: [("sewing", .3), ("handicraft", .3), ("computer", .25), ("farming", .2), ("driving", .05)],
    3: [("handicraft", .3), ("computer", .25), ("sewing", .2), ("farming", .25)],
    4: [("computer", .35), ("customer_service", .25), ("livestream", .15), ("handicraft", .2),
        ("driving", .15), ("sewing", .1), ("farming", .2)],
    5: [("farming", .3), ("handicraft", .25)],
    6: [("farming", .25), ("handicraft", .2), ("computer", .1)],
    7: [("handicraft", .15)],
}
# Categories a seeker with a skill tends to ask for.
INTENT_BY_SKILL = {
    "massage": ["massage_health", "massage_medical"], "braille": ["massage_health", "library_keeper"],
    "computer": ["office", "online_service"], "customer_service": ["online_service"],
    "livestream": ["livestream"], "handicraft": ["handicraft"], "sewing": ["assembly", "handicraft"],
    "farming": ["agriculture", "forest_ranger", "cleaner_rural"], "driving": ["courier"],
}

# What an opening of a category demands and usually requires.
OPENING_SPEC = {  # demands, required skills, required certificates, preferred skills, title
    "cleaner_rural": (["walking", "lifting"], [], [], [], "乡村保洁员"),
    "water_manager": (["walking"], [], [], ["farming"], "村级水管员"),
    "road_keeper": (["walking"], [], [], [], "农村公路护路员"),
    "forest_ranger": (["walking", "vision"], [], [], ["farming"], "生态护林员"),
    "relief_assistant": (["speech", "cognition"], ["computer"], [], [], "社会救助协理员"),
    "library_keeper": (["cognition"], [], [], ["computer"], "农家书屋管理员"),
    "community_service": (["speech", "cognition"], [], [], ["computer"], "社区服务人员"),
    "office": (["vision", "cognition"], ["computer"], [], [], "办公室文员"),
    "agriculture": (["walking"], [], [], ["farming"], "种植养殖工"),
    "massage_medical": ([], ["massage"], ["medical_massage_cert"], [], "盲人医疗按摩师"),
    "massage_health": ([], ["massage"], [], ["braille"], "盲人保健按摩师"),
    "online_service": (["cognition", "fine_motor"], ["computer"], [], ["customer_service"], "网络客服专员"),
    "livestream": (["speech", "cognition"], [], [], ["livestream", "computer"], "直播带货主播"),
    "courier": (["walking", "vision"], [], [], ["driving"], "快递分拣员"),
    "handicraft": (["fine_motor"], [], [], ["handicraft"], "手工制作工"),
    "assembly": (["fine_motor", "vision"], [], [], ["sewing"], "生产线装配工"),
    "retail": (["speech", "cognition"], [], [], ["computer"], "便民小店店员"),
    "other": ([], [], [], [], "其他岗位"),
}
DEMAND_FAILS = {  # CONTRACT §3, E4: demand -> {category: failing grades}
    "vision": {1: {1, 2, 3}, 7: {1, 2, 3, 4}},
    "hearing": {2: {1, 2}, 7: {1, 2, 3, 4}},
    "speech": {3: {1, 2}, 2: {1}, 7: {1, 2, 3, 4}},
    "walking": {4: {1, 2}, 7: {1, 2, 3, 4}},
    "lifting": {4: {1, 2, 3}, 7: {1, 2, 3, 4}},
    "fine_motor": {4: {1, 2}, 1: {1, 2}, 7: {1, 2, 3, 4}},
    "cognition": {5: {1, 2, 3}, 6: {1, 2}, 7: {1, 2, 3, 4}},
}
WORKING_AGE_MAX = {"M": 59, "F": 54}
WAGES = {  # monthly yuan, by category, for quota and general openings
    "massage_medical": [3500, 4000, 4500, 5000], "massage_health": [2400, 2800, 3200, 3600],
    "online_service": [2600, 2800, 3000, 3500], "livestream": [2400, 3000, 3500, 4500],
    "courier": [2400, 2800, 3200, 4000], "assembly": [2200, 2400, 2800, 3200, 3600],
    "office": [2200, 2400, 2800, 3200], "handicraft": [2000, 2200, 2500], "agriculture": [2000, 2200, 2600],
    "retail": [2000, 2200, 2400],
}
WELFARE_RURAL = ["cleaner_rural", "water_manager", "road_keeper", "forest_ranger", "library_keeper"]
WELFARE_URBAN = ["community_service", "relief_assistant", "library_keeper", "community_service", "cleaner_rural"]
QUOTA_FIRST = ["massage_medical", "online_service", "courier", "assembly", "office"]
GENERAL_FIRST = ["massage_health", "livestream", "online_service", "courier", "handicraft", "retail",
                 "agriculture", "massage_health", "handicraft"]


# ---------------------------------------------------------------- helpers

def age_on(birth, day):
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def add_months(day, months):
    y, m = divmod(day.month - 1 + months, 12)
    y += day.year
    m += 1
    last = [31, 29 if (y % 4 == 0 and (y % 100 or y % 400 == 0)) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
            31][m - 1]
    return D(y, m, min(day.day, last))


def rand_date(rng, lo, hi):
    return lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1))


_PICKERS = {}


def pick(rng, weighted):
    """A value from ((value, weight), ...). A tuple of constants is one object
    per call site, so its cumulative weights are computed once."""
    entry = _PICKERS.get(id(weighted)) if isinstance(weighted, tuple) else None
    if entry is None:
        cum, total = [], 0
        for _, w in weighted:
            total += w
            cum.append(total)
        entry = (weighted, [v for v, _ in weighted], cum, total)
        if isinstance(weighted, tuple):
            _PICKERS[id(weighted)] = entry
    _, values, cum, total = entry
    return values[min(len(values) - 1, bisect.bisect_right(cum, rng.random() * total))]


# ---------------------------------------------------------------- districts

class District:
    def __init__(self, code, name, parent, towns, edges, prefix):
        self.code, self.name, self.parent, self.prefix = code, name, parent, prefix
        self.towns = towns  # [(code, name, urban, weight)]
        self.neighbours = {t[0]: set() for t in towns}
        for a, b in edges:
            self.neighbours[a].add(b)
            self.neighbours[b].add(a)
        self.town_name = {t[0]: t[1] for t in towns}
        self.urban = {t[0] for t in towns if t[2]}


def yanshi(parent):
    towns = [(YANSHI_CODE + s, n, u, w) for s, n, u, w in YANSHI_TOWNS]
    edges = [(YANSHI_CODE + a, YANSHI_CODE + b) for a, b in YANSHI_EDGES]
    return District(YANSHI_CODE, YANSHI_NAME, parent, towns, edges, "YS")


def synthetic(code, index, parent, rng):
    """13 towns: 4 sub-districts adjoining each other and 9 towns in a ring
    around them, each town adjoining its ring neighbours and one or two
    sub-districts."""
    names, towns = set(), []
    while len(names) < 13:
        names.add(rng.choice(PLACE_SYLLABLES) + rng.choice(PLACE_SYLLABLES))
    names = sorted(names)
    suffixes = ["004", "005", "006", "007", "101", "102", "103", "104", "105", "106", "107", "108", "109"]
    for i, (s, n) in enumerate(zip(suffixes, names)):
        urban = i < 4
        towns.append((code + s, n + ("街道" if urban else "镇"), urban, round(rng.uniform(0.7, 1.2), 2)))
    u = [t[0] for t in towns[:4]]
    r = [t[0] for t in towns[4:]]
    edges = [(u[i], u[j]) for i in range(4) for j in range(i + 1, 4)]
    for i, t in enumerate(r):
        edges.append((t, r[(i + 1) % len(r)]))
        edges.append((t, u[i * 4 // len(r)]))
        if rng.random() < 0.4:
            edges.append((t, u[(i * 4 // len(r) + 1) % 4]))
    return District(code, "合成区%s" % code[-2:], parent, towns, sorted(set(edges)), "X" + code[-2:])


# ---------------------------------------------------------------- the generator

class Generator:
    def __init__(self, args):
        self.args = args
        self.year = args.year
        self.ref = D(args.year + 1, 9, 1)  # the date the example is built for
        self.used_ids = set()
        self.counts = {f: 0 for f in FILES}

    # -- people

    def person_id(self, rng, dist, birth, sex):
        x = rng.random()
        if x < 0.15:
            area = rng.choice(OTHER_AREAS)
        elif dist.code != YANSHI_CODE:
            area = dist.code
        else:
            area = "410307" if x < 0.30 else "410381"
        while True:
            seq = rng.randrange(0, 100) * 10 + rng.randrange(0, 5) * 2 + (1 if sex == "M" else 0)
            rid = make_resident_id(area, birth, seq)
            key = int(rid[:17])
            if key not in self.used_ids:
                self.used_ids.add(key)
                return rid

    def birth_for_age(self, rng, age):
        """A birth date making the person `age` on the reference date."""
        hi = D(self.ref.year - age, self.ref.month, self.ref.day)
        lo = D(self.ref.year - age - 1, self.ref.month, self.ref.day) + dt.timedelta(days=1)
        return rand_date(rng, lo, hi)

    def name(self, rng, sex, birth):
        surname = rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
        old = birth.year < 1985
        pool = (GIVEN_OLD_M if old else GIVEN_NEW_M) if sex == "M" else (GIVEN_OLD_F if old else GIVEN_NEW_F)
        if rng.random() < (0.25 if old else 0.15):
            return surname + rng.choice(pool)
        return surname + rng.choice(pool) + rng.choice(pool)

    def new_person(self, rng, dist, age, category=None, grade=None, sex=None):
        sex = sex or ("M" if rng.random() < 0.53 else "F")
        birth = self.birth_for_age(rng, age)
        rid = self.person_id(rng, dist, birth, sex)
        category = category or pick(rng, ((4, 45), (1, 14), (2, 13), (5, 10), (6, 9), (3, 5), (7, 4)))
        grade = grade or pick(rng, ((1, 10), (2, 24), (3, 31), (4, 35)))
        return {"rid": rid, "cert": rid + str(category) + str(grade), "birth": birth, "sex": sex,
                "category": category, "grade": grade}

    # -- one district

    def district(self, dist, n, rng, w):
        ref, year = self.ref, self.year
        towns = [t[0] for t in dist.towns]
        town_weights = [t[3] for t in dist.towns]

        # households and seekers
        households, seekers = [], []
        hh_width = max(4, len(str(int(n * 0.8) + 1)))
        while len(seekers) < n:
            town = rng.choices(towns, town_weights)[0]
            if rng.random() < 0.08:
                members, hid = 1, ""
            else:
                members = pick(rng, ((1, 80), (2, 17), (3, 3)))
                hid = "%s-H%0*d" % (dist.prefix, hh_width, len(households) + 1)
                flags = []
                if rng.random() < 0.13:
                    flags.append("dibao")
                if rng.random() < 0.10:
                    flags.append("poverty_alleviated")
                if rng.random() < 0.04:
                    flags.append("monitored")
                employed = 0 if rng.random() < 0.35 else pick(rng, ((1, 60), (2, 30), (3, 10)))
                households.append({"id": hid, "town": town, "flags": flags, "employed": employed, "members": []})
            for _ in range(min(members, n - len(seekers))):
                s = self.new_seeker(rng, dist, town, hid)
                seekers.append(s)
                if hid:
                    households[-1]["members"].append(s)
        if dist.code == YANSHI_CODE and n >= 20:
            self.craft_yanshi_seekers(rng, dist, seekers)
        by_cert = {s["cert"]: s for s in seekers}

        # trainings
        trainings = []
        for s in rng.sample(seekers, min(len(seekers), round(n * 0.2))):
            for _ in range(pick(rng, ((1, 75), (2, 25)))):
                skill = self.training_skill(rng, s)
                start = rand_date(rng, D(year - 1, 3, 1), D(year + 1, 8, 1))
                end = start + dt.timedelta(days=rng.choice([10, 15, 20, 30, 45, 60, 90]))
                completed = end < ref and rng.random() < 0.88
                t = {"cert": s["cert"], "course": COURSES[skill], "skill": skill, "start": start,
                     "end": end if rng.random() < 0.95 else None, "completed": completed}
                if any(x["cert"] == t["cert"] and x["course"] == t["course"] and x["start"] == start
                       for x in trainings[-3:]):
                    continue
                trainings.append(t)
                s.setdefault("trainings", []).append(t)

        # employers, openings, employer-years, rosters
        employers = self.employers(rng, dist, n)
        openings = self.openings(rng, dist, n, employers)
        years, rosters = self.employer_years(rng, dist, employers, seekers)
        placements = self.placements(rng, dist, seekers, openings)

        # a household's employed members include its employed seekers
        for h in households:
            busy = sum(1 for s in h["members"] if s["status"] == "employed")
            if busy > h["employed"]:
                h["employed"] = busy

        # write, in load order
        wr = w
        wr["regions"]([dist.code, dist.name, dist.parent or "", []])
        for code, name, _, _ in dist.towns:
            wr["regions"]([code, name, dist.code, sorted(dist.neighbours[code])])
        for h in households:
            wr["households"]([h["id"], h["town"], h["employed"], h["flags"]])
        for s in seekers:
            wr["seekers"]([s["cert"], s["name"], s["town"], s["household"], s["education"], s["grad_year"],
                           s["skills"], s["certs"], s["intentions"], s["capacity"], s["flags"], s["status"],
                           s["registered"], s["phone"]])
        for t in trainings:
            wr["trainings"]([t["cert"], t["course"], t["skill"], t["start"], t["end"], t["completed"]])
        for e in employers:
            wr["employers"]([e["code"], e["name"], e["town"], e["type"], e["concentrated"]])
        for o in openings:
            wr["openings"]([o["id"], o["kind"], o["employer"], o["category"], o["title"], o["town"], o["slots"],
                            o["reach"], o["demands"], o["min_age"], o["max_age"], o["req_certs"],
                            o["req_skills"], o["pref_skills"], o["wage"], o["hours"], o["from"], o["until"]])
        for y in years:
            wr["employer-years"](y)
        for r in rosters:
            wr["rosters"](r)
        for p in placements:
            wr["placements"]([p["cert"], p["opening"], p["start"], p["end"], p["wage"], p["months"]])
        return {"district": dist, "seekers": by_cert, "employers": employers}

    def new_seeker(self, rng, dist, town, hid):
        year, ref = self.year, self.ref
        age = pick(rng, (((16, 24), 12), ((25, 34), 22), ((35, 44), 27), ((45, 54), 28), ((55, 59), 8),
                         ((60, 65), 2)))
        p = self.new_person(rng, dist, rng.randint(*age))
        cat, grade = p["category"], p["grade"]
        a = age_on(p["birth"], ref)
        young = a < 35
        edu = pick(rng, (("none", 4), ("primary", 10), ("junior", 35), ("senior", 16), ("vocational", 15),
                         ("college", 12), ("bachelor", 8), ("postgraduate", 0.5)) if young else
                   (("none", 9), ("primary", 24), ("junior", 40), ("senior", 13), ("vocational", 8),
                    ("college", 4), ("bachelor", 2)))
        if cat in (5, 7) and edu in ("college", "bachelor", "postgraduate"):
            edu = "junior"
        grad = ""
        if edu in ("vocational", "college", "bachelor", "postgraduate"):
            grad_age = {"vocational": 18, "college": 21, "bachelor": 22, "postgraduate": 25}[edu]
            gy = p["birth"].year + grad_age + (1 if rng.random() < 0.3 else 0)
            if gy <= ref.year:
                grad = gy
        skills = [k for k, pr in SKILLS_BY_CATEGORY[cat] if rng.random() < pr]
        if young and edu not in ("none", "primary") and "computer" not in skills and rng.random() < 0.4 \
                and cat not in (1, 5, 7):
            skills.append("computer")
        if "driving" in skills and cat == 4 and grade <= 2:
            skills.remove("driving")
        certs = []
        if "massage" in skills:
            if rng.random() < 0.45:
                certs.append("massage_cert")
            if rng.random() < 0.2:
                certs.append("medical_massage_cert")
        if "driving" in skills:
            certs.append("driver_c5" if cat == 4 else "driver_c1")
        if rng.random() < 0.05:
            certs.append("health_cert")
        intentions = []
        if rng.random() < 0.35:
            pool = sorted({c for k in skills for c in INTENT_BY_SKILL[k]}) or ["handicraft", "agriculture",
                                                                             "community_service"]
            intentions = sorted(rng.sample(pool, min(len(pool), rng.randint(1, 3))))
        if cat in (5, 6, 7) and grade <= 2:
            capacity = pick(rng, (("assisted", 55), ("partial", 35), ("full", 10)))
        elif grade == 1:
            capacity = pick(rng, (("assisted", 15), ("partial", 45), ("full", 40)))
        else:
            capacity = pick(rng, (("assisted", 2), ("partial", 15), ("full", 83)))
        flags = []
        if not hid and rng.random() < 0.15:
            flags.append("dibao")
        status = pick(rng, (("seeking", 84), ("employed", 9), ("inactive", 7)))
        first_reg = max(D(2018, 1, 1), add_months(p["birth"], 16 * 12))
        registered = rand_date(rng, first_reg, ref - dt.timedelta(days=30)) if first_reg < ref - dt.timedelta(
            days=30) else ref - dt.timedelta(days=30)
        phone = "" if rng.random() < 0.08 else rng.choice(
            ["1390000", "1380000", "1370000", "1500000", "1590000", "1860000"]) + "%04d" % rng.randrange(10000)
        return {**p, "name": self.name(rng, p["sex"], p["birth"]), "town": town, "household": hid,
                "education": edu, "grad_year": grad, "skills": skills, "certs": certs, "intentions": intentions,
                "capacity": capacity, "flags": flags, "status": status, "registered": registered, "phone": phone}

    def craft_yanshi_seekers(self, rng, dist, seekers):
        """A few people the rules are meant to show, placed among the others:
        someone born on 29 February, recent graduates, people past working age."""
        s = seekers[6]
        leap = D(2004, 2, 29)
        rid = self.person_id(rng, dist, leap, s["sex"])
        s.update(rid=rid, cert=rid + str(s["category"]) + str(s["grade"]), birth=leap, status="seeking",
                 crafted=True)
        for i, (edu, gy) in enumerate([("college", self.ref.year), ("bachelor", self.ref.year - 1),
                                       ("college", self.ref.year - 2)]):
            s = seekers[20 + i * 7]
            if s["category"] in (5, 7):
                continue
            birth = self.birth_for_age(rng, 21 + i)
            rid = self.person_id(rng, dist, birth, s["sex"])
            s.update(rid=rid, cert=rid + str(s["category"]) + str(s["grade"]), birth=birth, education=edu,
                     grad_year=gy, status="seeking", intentions=[], crafted=True)
            if "computer" not in s["skills"]:
                s["skills"].append("computer")

    def training_skill(self, rng, s):
        options = [k for k, _ in SKILLS_BY_CATEGORY[s["category"]]] + ["handicraft"]
        if s["category"] in (2, 3, 4, 6) and s["grade"] >= 2:
            options += ["computer", "livestream", "customer_service"]
        return rng.choice(options)

    # -- employers

    def employers(self, rng, dist, n):
        ys = dist.code == YANSHI_CODE
        t = {x[0][-3:]: x[0] for x in dist.towns}
        towns = [x[0] for x in dist.towns]
        used = set()

        def firm():
            for attempt in range(1000):
                trade, cat = rng.choice(FIRM_TRADES)
                word = rng.choice(FIRM_WORDS)
                if attempt > 20:  # the plain names are used up: a syllable of the place in front
                    word = rng.choice(PLACE_SYLLABLES) + word
                name = "洛阳%s%s" % (word, trade)
                if name not in used:
                    used.add(name)
                    return name, cat
            raise RuntimeError("employer names exhausted")

        # role, Yanshi name, type, town suffix, concentrated, trade category, new style
        crafted = [
            ("levy", "洛阳鼎泰重工机械有限公司", "enterprise", "004", False, "assembly"),
            ("exempt", "洛阳恒兴五金制品有限公司", "enterprise", "103", False, "assembly"),
            ("reward", "洛阳伊洛云电子商务有限公司", "enterprise", "005", False, "online_service"),
            ("hospital", "偃师区人民医院", "institution", "006", False, "massage_medical"),
            ("culture", "偃师区文化馆", "institution", "005", False, "library_keeper"),
            ("agency", "洛阳市偃师区民政局", "agency", "007", False, "relief_assistant"),
            ("massage", "偃师区明心盲人按摩有限公司", "enterprise", "005", True, "massage_health"),
            ("sheltered", "偃师区阳光家园辅助性就业服务中心", "social_org", "106", True, "handicraft"),
            ("missing", "洛阳盛达建材有限公司", "enterprise", "105", False, "assembly"),
            ("nostaff", "洛阳智启网络科技有限公司", "enterprise", "007", False, "online_service"),
            ("claim_a", "洛阳顺通物流有限公司", "enterprise", "104", False, "courier"),
            ("claim_b", "洛阳锦华服饰有限公司", "enterprise", "106", False, "assembly"),
            ("old", "洛阳明视眼镜有限公司", "enterprise", "104", False, "assembly"),
            ("zero", "洛阳九鼎钢制家具有限公司", "enterprise", "004", False, "assembly"),
            ("individual", "偃师区老郭手工艺品店", "individual", "107", False, "handicraft"),
            ("plain", "洛阳丰禾农业科技有限公司", "enterprise", "111", False, "agriculture"),
            ("plain", "偃师区佳禾家政服务有限公司", "enterprise", "006", False, "community_service"),
            ("plain", "洛阳联创信息服务有限公司", "enterprise", "007", False, "online_service"),
            ("plain", "洛阳河图直播电子商务有限公司", "enterprise", "110", False, "livestream"),
            ("plain", "洛阳景和食品有限公司", "enterprise", "108", False, "assembly"),
        ]
        out = []
        for role, name, typ, suffix, conc, cat in crafted:
            town = t.get(suffix) or t[sorted(t)[0]]
            if not ys:
                if typ == "institution":
                    name = dist.name + {"hospital": "人民医院", "culture": "文化馆"}[role]
                elif typ == "agency":
                    name = "洛阳市%s民政局" % dist.name
                elif role == "massage":
                    name = "%s明心盲人按摩有限公司" % dist.name
                elif role == "sheltered":
                    name = "%s阳光家园辅助性就业服务中心" % dist.name
                elif role == "individual":
                    name = "%s老郭手工艺品店" % dist.name
                else:
                    name = firm()[0]
            used.add(name)
            out.append(self.employer(rng, dist, role, name, typ, town, conc, cat))
        target = max(len(crafted), round(n / 15))
        bureaus = iter(b for b in BUREAUS if b != "民政局")
        institutions = iter(x for x in INSTITUTIONS if x not in ("人民医院", "文化馆"))
        k = 0
        while len(out) < target:
            k += 1
            typ = pick(rng, (("enterprise", 82), ("individual", 8), ("institution", 6), ("agency", 4)))
            name = None
            if typ == "agency":
                b = next(bureaus, None)
                name = b and "洛阳市%s%s" % (dist.name, b)
                cat = "office"
            elif typ == "institution":
                b = next(institutions, None)
                name = b and dist.name + b
                cat = "office"
            elif typ == "individual":
                name = "%s%s便民店%d号" % (dist.name, rng.choice(FIRM_WORDS), k)
                cat = "retail"
            if name is None:
                typ = "enterprise"
                name, cat = firm()
            out.append(self.employer(rng, dist, "random", name, typ, rng.choice(towns), False, cat))
        return out

    def employer(self, rng, dist, role, name, typ, town, conc, cat):
        prefix = {"enterprise": "91", "individual": "92", "agency": "11", "institution": "12",
                  "social_org": "52"}[typ]
        new = role == "nostaff" or (typ in ("enterprise", "individual", "social_org") and rng.random() < 0.6)
        area = dist.code if (dist.code != YANSHI_CODE or role == "nostaff") else "410381"
        code = make_credit_code(rng, prefix, area, new)
        return {"code": code, "name": name, "town": town, "type": typ, "concentrated": conc, "role": role,
                "category": cat}

    # -- openings

    def openings(self, rng, dist, n, employers):
        ref = self.ref
        count = max(30, round(n * 0.2))
        kinds = (["public_welfare"] * 42 + ["quota"] * 24 + ["assisted"] * 10 + ["general"] * 24)
        width = max(3, len(str(count)))
        by_role = {e["role"]: e for e in employers}
        quota_employers = [e for e in employers if not e["concentrated"] and e["role"] not in ("missing",)]
        towns = [t[0] for t in dist.towns]
        welfare_i = {t: 0 for t in towns}
        qi = gi = 0
        out = []
        # --reach local: no opening recruits district-wide; each reaches its own town
        # (80 %) or also the neighbours (20 %). Drawn from a separate generator, so the
        # openings are otherwise the same as with the default mix.
        local = random.Random("%s:%s:reach" % (self.args.seed, dist.code)) if self.args.reach == "local" else None
        for i in range(count):
            kind = kinds[(i * 100) // count]
            employer, reach = "", None
            if kind == "public_welfare":
                town = towns[i % len(towns)]
                pool = WELFARE_URBAN if town in dist.urban else WELFARE_RURAL
                cat = pool[(welfare_i[town] + towns.index(town)) % len(pool)]
                welfare_i[town] += 1
                reach = "town" if rng.random() < 0.85 else "neighbours"
            elif kind == "quota":
                if qi < len(QUOTA_FIRST):
                    cat = QUOTA_FIRST[qi]
                    e = {"massage_medical": by_role["hospital"], "online_service": by_role["reward"],
                         "courier": by_role["claim_a"], "assembly": by_role["levy"],
                         "office": by_role["agency"]}[cat]
                else:
                    e = quota_employers[(qi * 7) % len(quota_employers)]
                    cat = e["category"] if rng.random() < 0.7 else rng.choice(["office", "assembly", "retail",
                                                                              "online_service"])
                qi += 1
                employer, town = e["code"], e["town"]
                reach = "district" if rng.random() < 0.8 else "neighbours"
            elif kind == "assisted":
                cat = rng.choice(["handicraft", "handicraft", "assembly", "agriculture"])
                if rng.random() < 0.5:
                    employer, town = by_role["sheltered"]["code"], by_role["sheltered"]["town"]
                else:
                    town = rng.choice([t for t in towns if t not in dist.urban])
                reach = pick(rng, (("district", 30), ("neighbours", 50), ("town", 20)))
            else:
                cat = GENERAL_FIRST[gi] if gi < len(GENERAL_FIRST) else rng.choice(
                    ["handicraft", "retail", "livestream", "online_service", "courier", "agriculture", "other",
                     "massage_health"])
                gi += 1
                if cat == "massage_health":
                    employer, town = by_role["massage"]["code"], by_role["massage"]["town"]
                else:
                    town = rng.choice(towns)
                reach = pick(rng, (("district", 60), ("neighbours", 30), ("town", 10)))
            if local is not None:
                reach = "town" if local.random() < 0.8 else "neighbours"
            demands, req_skills, req_certs, pref, title = OPENING_SPEC[cat]
            demands = [d for d in demands if rng.random() < 0.85]
            req_skills = list(req_skills)
            if kind == "public_welfare":
                full = rng.random() < 0.6
                wage, hours = (2000, 40) if full else (rng.choice([1200, 1400, 1500]), rng.choice([20, 24, 30]))
                slots = pick(rng, ((1, 50), (2, 35), (3, 15)))
                min_age, max_age = 18, rng.choice([55, 59, 59, ""])
                title = "%s%s" % (dist.town_name[town].replace("街道", "").replace("镇", ""), title)
            elif kind == "assisted":
                wage, hours = rng.choice([900, 1200, 1500]), rng.choice([20, 24, 25, 30])
                slots = rng.randint(3, 5)
                min_age, max_age = 16, ""
                demands = []
                title = "辅助性就业" + title
            else:
                wage = rng.choice(WAGES.get(cat, [2000, 2200, 2400, 2600, 2800, 3000]))
                hours = 40 if rng.random() < 0.85 else rng.choice([24, 30])
                slots = pick(rng, ((1, 30), (2, 30), (3, 20), (4, 10), (5, 10)))
                min_age, max_age = rng.choice([16, 18, 18, 20]), rng.choice([35, 45, 50, 55, 59, ""])
                if cat == "courier" and rng.random() < 0.5:
                    req_certs = ["driver_c1"]
                    title = "快递配送员"
            open_from = rand_date(rng, D(ref.year, 1, 1), D(ref.year, 8, 15))
            until = pick(rng, [("", 55), (D(ref.year + 1, 12, 31), 30), (D(ref.year, 6, 30), 8),
                               (D(ref.year, 12, 31), 7)])
            if until and until < open_from:
                open_from = D(ref.year, 1, 1)
            out.append({"id": "%s-P%0*d" % (dist.prefix, width, i + 1), "kind": kind, "employer": employer,
                        "category": cat, "title": title, "town": town, "slots": slots, "reach": reach,
                        "demands": demands, "min_age": min_age, "max_age": max_age, "req_certs": list(req_certs),
                        "req_skills": req_skills, "pref_skills": list(pref), "wage": wage, "hours": hours,
                        "from": open_from, "until": until, "taken": []})
        # Welfare posts are renewed each year; some were open the year before
        # and already hold people (placements).
        for o in out:
            if o["kind"] == "public_welfare" and rng.random() < 0.4:
                o["from"] = D(ref.year - 1, rng.choice([1, 3, 6]), 1)
        return out

    # -- employer-years and rosters

    def employer_years(self, rng, dist, employers, seekers):
        year = self.year
        yrs, rows = [], []
        taken = set()

        order = list(seekers)
        rng.shuffle(order)
        cursor = [0]

        def person(grade=None, category=None, age=(24, 50), registered=True, sex=None):
            """A registered seeker (then marked employed) or an unregistered person."""
            if registered:
                plain = grade is None and category is None and sex is None
                start = cursor[0] if plain else 0
                for i in range(start, len(order)):
                    s = order[i]
                    if s["cert"] in taken or s.get("crafted") or (grade and s["grade"] != grade) \
                            or (category and s["category"] != category) or (sex and s["sex"] != sex):
                        continue
                    if not age[0] <= age_on(s["birth"], self.ref) <= age[1]:
                        continue
                    if plain:
                        cursor[0] = i + 1
                    taken.add(s["cert"])
                    s["status"] = "employed"
                    s["rostered"] = True
                    return s["cert"]
            p = self.new_person(rng, dist, rng.randint(*age), category, grade, sex)
            return p["cert"]

        def row(e, cert, start, end="", months=12, wage=None, est=False, grad=False, veteran=None):
            vet_no, vet_grade, rid = veteran or ("", "", "")
            rows.append([e["code"], year, cert, vet_no, vet_grade, rid, "" if est else start,
                         "" if est else end, est, months,
                         wage or rng.choice([2100, 2200, 2400, 2600, 2800, 3000, 3200, 3600]), grad])

        def qual(e, cert, **kw):
            start = rand_date(rng, D(year - 8, 1, 1), D(year - 1, 12, 1))
            end = "" if rng.random() < 0.4 else add_months(start, rng.choice([36, 60, 96])) - dt.timedelta(days=1)
            if end and end < D(year, 12, 31):
                end = ""
            row(e, cert, start, end, **kw)

        claimed = person(grade=3)
        for e in employers:
            role = e["role"]
            code = e["code"]
            if role == "missing":
                continue
            if role == "levy":  # POLICY §3 first worked example: 160,704.00
                yrs.append([code, year, 430, [], 26660000])
                qual(e, person(grade=2))
                qual(e, person(grade=3))
                qual(e, person(grade=3))
                row(e, person(grade=4), D(year, 5, 1), D(year + 1, 3, 31), months=8)  # contract_too_short
            elif role == "exempt":  # enterprise N <= 30
                yrs.append([code, year, "", [18, 18, 17, 18, 19, 18, 18, 18, 18, 18, 18, 18], 918000])
                qual(e, person(grade=4), wage=1800)  # below_minimum_wage
            elif role == "reward":  # above quota: D = 6.5, E = 4.1
                yrs.append([code, year, "", [146, 147, 148, 149, 150, 150, 151, 151, 152, 152, 152, 152],
                            7800000])
                qual(e, person(grade=1, category=4))
                for _ in range(3):
                    qual(e, person(grade=4))
                row(e, person(grade=3, category=4, age=(22, 25)), D(year, 6, 1), "", months=7, grad=True)
                row(e, person(grade=4), D(year, 7, 1), "", months=6)
            elif role == "hospital":  # institution, rho >= 1 %: D = 7, S = 2.92
                yrs.append([code, year, 620, [], 68200000])
                row(e, "", "", est=True, veteran=("豫残军字第0386号", 3,
                                                  self.new_person(rng, dist, 51, sex="M")["rid"]))
                qual(e, person(grade=2, category=1), est=True)
                for _ in range(3):
                    qual(e, person(grade=4), est=rng.random() < 0.5)
            elif role == "culture":  # POLICY worked example: 事业单位, N 30, D 0, W 50,000 -> 21,600.00
                yrs.append([code, year, 30, [], 1500000])
            elif role == "agency":  # D = 1
                yrs.append([code, year, 85, [], 8075000])
                qual(e, person(grade=4), est=True)
                row(e, person(grade=3), D(year, 3, 1), D(year, 12, 31), months=0)  # too short, no paid months
            elif role == "massage":  # concentrated: above quota, no reward; N > 30, no exemption
                yrs.append([code, year, 32, [], 1344000])
                for _ in range(10):
                    qual(e, person(category=1, registered=rng.random() < 0.6))
            elif role == "sheltered":
                yrs.append([code, year, 15, [], 432000])
                for _ in range(6):
                    qual(e, person(category=rng.choice([5, 6])), wage=2000)
            elif role == "nostaff":
                yrs.append([code, year, 0, [], 0])
            elif role == "claim_a":
                yrs.append([code, year, 96, [], 5184000])
                qual(e, claimed)
                qual(e, person())
            elif role == "claim_b":
                yrs.append([code, year, 210, [], 9450000])
                qual(e, claimed)
                qual(e, person(grade=3))
                qual(e, person(grade=4))
                bad = person(registered=False)
                bad = bad[:17] + ("0" if bad[17] != "0" else "1") + bad[18:]  # wrong check character
                qual(e, bad)
            elif role == "old":
                yrs.append([code, year, 64, [], 3200000])
                qual(e, person(age=(62, 63), sex="M", registered=False))  # outside_working_age
                qual(e, person())
            elif role == "zero":
                yrs.append([code, year, 310, [], 17050000])
                qual(e, person())
                qual(e, person(grade=4), months=0)  # no_paid_months
            elif role == "individual":
                yrs.append([code, year, 3, [], 96000])
            else:  # plain and random employers
                big = e["type"] in ("agency", "institution")
                n_emp = max(3, int(rng.lognormvariate(4.3 if big else 3.9, 0.9)))
                wages = n_emp * rng.choice([36000, 42000, 48000, 54000, 60000, 72000])
                if rng.random() < 0.3:
                    hc = [max(1, n_emp + rng.randint(-3, 3)) for _ in range(12)]
                    yrs.append([code, year, "", hc, wages // n_emp * sum(hc) // 12])
                else:
                    yrs.append([code, year, n_emp, [], wages])
                for _ in range(int(n_emp * rng.uniform(0, 0.03) + rng.random())):
                    qual(e, person(registered=rng.random() < 0.6), est=big and rng.random() < 0.7)
        return yrs, rows

    # -- placements

    def placements(self, rng, dist, seekers, openings):
        ref = self.ref
        target = round(len(seekers) * 0.085)
        out = []
        candidates = [s for s in seekers if s["status"] == "seeking" and not s.get("rostered")
                      and not s.get("crafted")]
        rng.shuffle(candidates)
        region = Region.of_district(dist)
        for s in candidates:
            if len(out) >= target:
                break
            for o in rng.sample(openings, min(len(openings), 40)):
                if len(o["taken"]) >= o["slots"]:
                    continue
                latest = min(ref - dt.timedelta(days=20), o["until"] or ref)
                if o["from"] > latest:
                    continue
                start = rand_date(rng, o["from"], latest)
                if not eligible(s, o, start, region, placed=False, slots_left=True):
                    continue
                ended = rng.random() < 0.3
                months = rng.choice([12, 24, 36]) if o["kind"] == "public_welfare" else rng.choice([12, 36, ""])
                if ended:
                    end = min(rand_date(rng, start + dt.timedelta(days=30), start + dt.timedelta(days=300)),
                              ref - dt.timedelta(days=1))
                    if end <= start:
                        continue
                else:
                    end = add_months(start, months) - dt.timedelta(days=1) if months else ""
                    if end and end < ref:
                        end = ""
                        months = ""
                out.append({"cert": s["cert"], "opening": o["id"], "start": start, "end": end,
                            "wage": o["wage"], "months": months})
                if not ended:
                    o["taken"].append(s["cert"])
                    if rng.random() < 0.6:
                        s["status"] = "employed"
                break
        out.sort(key=lambda p: (p["start"], p["cert"]))
        return out

    # -- all districts

    def run(self):
        a = self.args
        k = a.districts or (1 if a.seekers <= 5000 else min(1 + len(SYNTHETIC_DISTRICT_CODES),
                                                             math.ceil(a.seekers / 5000)))
        codes = [a.district] + [c for c in SYNTHETIC_DISTRICT_CODES if c != a.district][:k - 1]
        if len(codes) < k:
            sys.exit("at most %d districts" % len(codes))
        self.first_code = codes[0]
        parent = "410300" if k > 1 else None
        os.makedirs(a.out, exist_ok=True)
        writers, handles = {}, []
        enc = {"utf8": "utf-8-sig" if a.bom else "utf-8", "gb18030": "gb18030"}[a.encoding]
        zh = a.headers == "zh"
        for f in FILES:
            h = open(os.path.join(a.out, f + ".csv"), "w", encoding=enc, newline="")
            handles.append(h)
            cw = csv.writer(h, lineterminator="\r\n" if a.crlf else "\n")
            cols = COLUMNS[f]
            cw.writerow([zh_ if zh else en for en, zh_ in cols])
            writers[f] = self.row_writer(f, cw, [en for en, _ in cols], zh)
        if parent:
            writers["regions"]([parent, "洛阳市", "", []])
        for i, code in enumerate(codes):
            rng = random.Random("%s:%s:%d" % (a.seed, code, i))
            dist = yanshi(parent) if code == YANSHI_CODE else synthetic(code, i, parent, rng)
            n = a.seekers // k + (1 if i < a.seekers % k else 0)
            self.district(dist, n, rng, writers)
        for h in handles:
            h.close()
        return self.counts

    def row_writer(self, kind, cw, names, zh):
        """A function writing one record (values in COLUMNS order) with one
        converter per column, chosen once."""
        sep = "、" if zh else ";"
        yes, no = ("是", "否") if zh else ("true", "false")

        def plain(v):
            return v if type(v) is str else ("" if v is None else str(v))

        def converter(col):
            labels = LABELS.get(col) if zh else None
            if col in BOOLEAN_COLUMNS:
                return lambda v: "" if v == "" or v is None else (yes if v else no)
            if col in LIST_COLUMNS:
                if labels:
                    return lambda v: sep.join(labels.get(x, x) for x in v)
                return lambda v: sep.join(map(str, v))
            if col in MONEY_COLUMNS and zh:
                return lambda v: "" if v == "" else "{:,}".format(v)
            if labels:
                return lambda v: labels.get(v, v)
            return plain

        convert = [converter(c) for c in names]
        counts = self.counts
        writerow = cw.writerow

        def write(values):
            writerow([f(v) for f, v in zip(convert, values)])
            counts[kind] += 1
        return write


# ---------------------------------------------------------------- eligibility (CONTRACT §3)

class Region:
    def __init__(self, parent, neighbours):
        self.parent, self.neighbours = parent, neighbours

    @staticmethod
    def of_district(dist):
        return Region({t[0]: dist.code for t in dist.towns}, dist.neighbours)


def seeker_skills(s, day):
    skills = set(s["skills"])
    for t in s.get("trainings", []):
        if t["completed"] and (t["end"] is None or t["end"] <= day):
            skills.add(t["skill"])
    return skills


def eligible(s, o, day, region, placed, slots_left):
    """E1–E8 of CONTRACT §3 (E1 and E8's slots as given by the caller)."""
    if s["status"] != "seeking" or placed:
        return False
    a = age_on(s["birth"], day)
    if not max(16, o["min_age"] or 0) <= a <= min(o["max_age"] or 200, WORKING_AGE_MAX[s["sex"]]):
        return False
    if o["reach"] == "town" and s["town"] != o["town"]:
        return False
    if o["reach"] == "neighbours" and s["town"] != o["town"] and s["town"] not in region.neighbours.get(o["town"],
                                                                                                         ()):
        return False
    if region.parent.get(s["town"]) != region.parent.get(o["town"]):
        return False
    for d in o["demands"]:
        if s["grade"] in DEMAND_FAILS[d].get(s["category"], ()):
            return False
    cap = s["capacity"]
    if o["kind"] == "assisted" and cap not in ("assisted", "partial"):
        return False
    if cap == "assisted" and o["kind"] != "assisted":
        return False
    if cap == "partial" and o["kind"] != "assisted" and (o["hours"] or 40) > 30:
        return False
    if not set(o["req_certs"]) <= set(s["certs"]) or not set(o["req_skills"]) <= seeker_skills(s, day):
        return False
    if s["intentions"] and o["category"] not in s["intentions"]:
        return False
    if (o["from"] and o["from"] > day) or (o["until"] and o["until"] < day):
        return False
    return slots_left


# ---------------------------------------------------------------- verify

def read_dir(path):
    """{kind: [row dicts with English keys and English codes]} from a directory."""
    reverse_labels = {col: {v: k for k, v in m.items()} for col, m in LABELS.items()}
    out = {}
    for kind in FILES:
        raw = open(os.path.join(path, kind + ".csv"), "rb").read()
        if raw.startswith(b"\xef\xbb\xbf"):
            text = raw[3:].decode("utf-8")
        else:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("gb18030")
        rows = list(csv.reader(text.splitlines()))
        zh_to_en = {zh: en for en, zh in COLUMNS[kind]}
        header = [zh_to_en.get(h, h) for h in rows[0]]
        recs = []
        for r in rows[1:]:
            rec = {}
            for k, v in zip(header, r):
                if k in LIST_COLUMNS:
                    v = [x for x in v.replace("；", ";").replace("、", ";").split(";") if x]
                    if k in reverse_labels:
                        v = [reverse_labels[k].get(x, x) for x in v]
                elif k in BOOLEAN_COLUMNS:
                    v = v.lower() in ("1", "true", "yes", "y", "是")
                elif k in reverse_labels:
                    v = reverse_labels[k].get(v, v)
                rec[k] = v
            recs.append(rec)
        out[kind] = recs
    return out


def date_or_none(s):
    return D.fromisoformat(s) if s else None


def verify(path, ref_date, analyse_limit=5000):
    data = read_dir(path)
    problems = []

    def bad(msg):
        problems.append(msg)

    def unique(kind, keyf):
        seen = set()
        for i, r in enumerate(data[kind], start=2):
            k = keyf(r)
            if k in seen:
                bad("%s row %d: duplicate key %s" % (kind, i, k))
            seen.add(k)
        return seen

    regions = {r["code"]: r for r in data["regions"]}
    unique("regions", lambda r: r["code"])
    for r in data["regions"]:
        if r["parent_code"] and r["parent_code"] not in regions:
            bad("region %s: parent %s not loaded" % (r["code"], r["parent_code"]))
        for n in r["neighbours"]:
            if n not in regions or r["code"] not in regions[n]["neighbours"]:
                bad("region %s: neighbour %s missing or not symmetric" % (r["code"], n))
    households = {r["household_id"]: r for r in data["households"]}
    unique("households", lambda r: r["household_id"])
    for r in data["households"]:
        if r["town_code"] not in regions:
            bad("household %s: town %s" % (r["household_id"], r["town_code"]))
    seekers = {}
    unique("seekers", lambda r: r["certificate_no"][:20])
    for i, r in enumerate(data["seekers"], start=2):
        c = parse_certificate(r["certificate_no"])
        if c is None:
            bad("seekers row %d: invalid certificate" % i)
            continue
        if r["town_code"] not in regions or (r["household_id"] and r["household_id"] not in households):
            bad("seekers row %d: unresolved town or household" % i)
        if r["household_id"] and households.get(r["household_id"], {}).get("town_code") != r["town_code"]:
            bad("seekers row %d: town differs from the household's" % i)
        birth, sex, cat, grade = c
        seekers[r["certificate_no"][:20]] = {
            "cert": r["certificate_no"], "birth": birth, "sex": sex, "category": cat, "grade": grade,
            "town": r["town_code"], "household": r["household_id"], "skills": r["skills"],
            "certs": r["certificates"], "intentions": r["intentions"], "capacity": r["work_capacity"] or "full",
            "status": r["status"] or "seeking", "flags": r["flags"], "education": r["education"],
            "grad_year": int(r["graduation_year"]) if r["graduation_year"] else None, "trainings": []}
    unique("trainings", lambda r: (r["certificate_no"], r["course"], r["start_date"]))
    for i, r in enumerate(data["trainings"], start=2):
        s = seekers.get(r["certificate_no"][:20])
        if s is None:
            bad("trainings row %d: seeker not loaded" % i)
        else:
            s["trainings"].append({"skill": r["skill"], "completed": r["completed"],
                                   "end": date_or_none(r["end_date"])})
    employers = {}
    unique("employers", lambda r: r["credit_code"])
    for i, r in enumerate(data["employers"], start=2):
        if not valid_credit_code(r["credit_code"]):
            bad("employers row %d: invalid credit code" % i)
        if r["town_code"] not in regions:
            bad("employers row %d: town" % i)
        employers[r["credit_code"]] = r
    openings = {}
    unique("openings", lambda r: r["opening_id"])
    for i, r in enumerate(data["openings"], start=2):
        if r["category"] not in CATEGORY_NAME:
            bad("openings row %d: category %s" % (i, r["category"]))
        if r["town_code"] not in regions:
            bad("openings row %d: town" % i)
        if r["employer_credit_code"] and r["employer_credit_code"] not in employers:
            bad("openings row %d: employer not loaded" % i)
        if r["kind"] == "quota" and not r["employer_credit_code"]:
            bad("openings row %d: quota opening without employer" % i)
        openings[r["opening_id"]] = {
            "id": r["opening_id"], "kind": r["kind"], "category": r["category"], "town": r["town_code"],
            "slots": int(r["slots"]), "reach": r["reach"] or ("town" if r["kind"] == "public_welfare" else "district"),
            "demands": r["demands"], "min_age": int(r["min_age"]) if r["min_age"] else None,
            "max_age": int(r["max_age"]) if r["max_age"] else None, "req_certs": r["required_certificates"],
            "req_skills": r["required_skills"], "hours": int(r["hours_per_week"]) if r["hours_per_week"] else 40,
            "from": date_or_none(r["open_from"]), "until": date_or_none(r["open_until"])}
    unique("employer-years", lambda r: (r["credit_code"], r["year"]))
    for i, r in enumerate(data["employer-years"], start=2):
        if r["credit_code"] not in employers:
            bad("employer-years row %d: employer not loaded" % i)
    unique("rosters", lambda r: (r["credit_code"], r["year"], (r["certificate_no"][:18] or r["resident_id"])))
    invalid_roster = 0
    for i, r in enumerate(data["rosters"], start=2):
        if r["credit_code"] not in employers:
            bad("rosters row %d: employer not loaded" % i)
        if r["certificate_no"]:
            invalid_roster += parse_certificate(r["certificate_no"]) is None
        elif not (r["veteran_certificate_no"] and parse_resident_id(r["resident_id"])):
            bad("rosters row %d: no certificate" % i)
    unique("placements", lambda r: (r["certificate_no"], r["opening_id"], r["start_date"]))
    active = {}
    for i, r in enumerate(data["placements"], start=2):
        if r["certificate_no"][:20] not in seekers or r["opening_id"] not in openings:
            bad("placements row %d: seeker or opening not loaded" % i)
            continue
        start, end = D.fromisoformat(r["start_date"]), date_or_none(r["end_date"])
        if start <= ref_date and (end is None or end >= ref_date):
            active.setdefault(r["opening_id"], []).append(r["certificate_no"][:20])
            seekers[r["certificate_no"][:20]]["placed"] = True
    for oid, people in active.items():
        if len(people) > openings[oid]["slots"]:
            bad("opening %s: %d active placements for %d slots" % (oid, len(people), openings[oid]["slots"]))

    print("%s: %s" % (path, ", ".join("%s %d" % (k, len(v)) for k, v in data.items())))
    print("  roster rows with an invalid certificate (intended, judged by the review): %d" % invalid_roster)
    for p in problems[:20]:
        print("  PROBLEM " + p)
    if len(seekers) <= analyse_limit:
        analyse(data, seekers, openings, employers, regions, active, ref_date)
    return not problems


def analyse(data, seekers, openings, employers, regions, active, day):
    region = Region({c: r["parent_code"] for c, r in regions.items()},
                    {c: set(r["neighbours"]) for c, r in regions.items()})
    admitted = [s for s in seekers.values() if s["status"] == "seeking" and not s.get("placed")]
    left = {oid: o["slots"] - len(active.get(oid, [])) for oid, o in openings.items()}
    edges = {}
    for s in admitted:
        edges[s["cert"]] = [oid for oid, o in openings.items()
                            if left[oid] > 0 and eligible(s, o, day, region, False, True)]
    none = sorted(c for c, e in edges.items() if not e)
    # maximum assignment (augmenting paths over slot capacities)
    holder = {oid: [] for oid in openings}
    assign = {}

    def augment(c, seen):
        for oid in edges[c]:
            if oid in seen:
                continue
            seen.add(oid)
            if len(holder[oid]) < left[oid]:
                holder[oid].append(c)
                assign[c] = oid
                return True
            for other in list(holder[oid]):
                if augment(other, seen):
                    holder[oid].remove(other)
                    holder[oid].append(c)
                    assign[c] = oid
                    return True
        return False
    sys.setrecursionlimit(10000)
    for c in sorted(edges):
        augment(c, set())
    placed = len(assign)
    eligible_n = len(admitted) - len(none)
    print("  on %s: %d seekers admitted by E1, %d with no eligible opening, %d slots open; "
          "a run assigns at most %d, so at least %d are outcompeted"
          % (day, len(admitted), len(none), sum(max(0, v) for v in left.values()), placed, eligible_n - placed))
    why = {}
    for c in none:
        why.setdefault(blocking_rule(seekers[c[:20]], openings, left, day, region), []).append(c)
    for rule, certs in sorted(why.items()):
        print("    no eligible opening, %s: %d (e.g. %s)" % (rule, len(certs), ", ".join(certs[:2])))
    review(data, employers, seekers)


def blocking_rule(s, openings, left, day, region):
    """The first of a few relaxations that would give `s` an eligible opening."""
    def any_with(**change):
        t = dict(s, **change)
        return any(left[oid] > 0 and eligible(t, o, day, region, False, True) for oid, o in openings.items())
    if age_on(s["birth"], day) > WORKING_AGE_MAX[s["sex"]]:
        return "E2 past working age"
    if s["intentions"] and any_with(intentions=[]):
        return "E7 intentions"
    if s["capacity"] != "full" and any_with(capacity="full"):
        return "E5 work capacity %s" % s["capacity"]
    if any_with(category=4, grade=4):
        return "E4 demands"
    return "E3/E6 reach or skills"


HENAN_SOCIAL_AVERAGE = {2020: 63936, 2021: 68172, 2022: 71580, 2023: 75120, 2024: 76620}


def review(data, employers, seekers):
    """POLICY §2–3 (Henan defaults) for the years in the data, as a cross-check
    of the example's intended outcomes; jobmatch's review is the authority."""
    rows_by = {}
    people = {}
    for r in data["rosters"]:
        rid = r["certificate_no"][:18] if r["certificate_no"] else r["resident_id"]
        rows_by.setdefault((r["credit_code"], r["year"]), []).append(r)
        people.setdefault((r["year"], rid), set()).add(r["credit_code"])
    years = {(r["credit_code"], r["year"]): r for r in data["employer-years"]}
    print("  review (Henan pack): employer, status, N, D, R, levy/reward")
    for code, e in employers.items():
        ys = sorted({y for c, y in years if c == code}) or [None]
        for y in ys:
            if y is None:
                print("    %s %s: missing_employer_year" % (code, e["name"]))
                continue
            ey = years[(code, y)]
            Y = int(y)
            if Y not in HENAN_SOCIAL_AVERAGE:
                continue
            if ey["employees"]:
                n = Fraction(ey["employees"])
            else:
                hc = [Fraction(x) for x in ey["monthly_headcounts"]]
                n = sum(hc) / len(hc)
            if n == 0:
                print("    %s %s: no_staff" % (code, e["name"]))
                continue
            d = Fraction(0)
            reasons_all = []
            for r in rows_by.get((code, y), []):
                reasons = []
                if r["certificate_no"]:
                    c = parse_certificate(r["certificate_no"])
                    if c is None:
                        reasons.append("invalid_certificate")
                        birth = sex = None
                    else:
                        birth, sex, _, grade = c
                        w = 2 if grade <= 2 else 1
                    rid = r["certificate_no"][:18]
                else:
                    p = parse_resident_id(r["resident_id"])
                    vg = int(r["veteran_grade"]) if r["veteran_grade"] else 0
                    if p is None or not 1 <= vg <= 8:
                        reasons.append("invalid_certificate")
                        birth = sex = None
                    else:
                        birth, sex = p
                        w = 2 if vg <= 3 else 1
                    rid = r["resident_id"]
                if birth and (age_on(birth, D(Y, 12, 31)) < 16 or age_on(birth, D(Y, 1, 1)) > WORKING_AGE_MAX[sex]):
                    reasons.append("outside_working_age")
                if not r["establishment"] and r["contract_end"]:
                    days = (D.fromisoformat(r["contract_end"]) - D.fromisoformat(r["contract_start"])).days + 1
                    if days < 365:
                        reasons.append("contract_too_short")
                if Fraction(r["lowest_monthly_wage"]) < 2000:
                    reasons.append("below_minimum_wage")
                months = int(r["months_paid"])
                if months == 0:
                    reasons.append("no_paid_months")
                if len(people[(y, rid)]) > 1:
                    reasons.append("claimed_twice")
                if reasons:
                    reasons_all.extend(reasons)
                    continue
                f = Fraction(1) if r["new_graduate"] and months > 6 else Fraction(months, 12)
                d += w * f
            ratio = Fraction(16, 1000)
            req = n * ratio
            s, ex = max(Fraction(0), req - d), max(Fraction(0), d - req)
            wage = min(Fraction(money_fen(ey["total_wages"]), 100) / n, 2 * HENAN_SOCIAL_AVERAGE[Y])
            rho = d / n
            if s > 0:
                if e["type"] in ("enterprise", "individual") and n <= 30:
                    outcome = "exempt 0.00"
                else:
                    factor = Fraction(1, 2) if rho >= Fraction(1, 100) else Fraction(9, 10)
                    outcome = "levy %s" % round_fen(s * wage * factor)
            elif rho > ratio and not e["concentrated"]:
                outcome = "reward %s" % round_fen(ex * 6 * 2000)
            elif rho > ratio:
                outcome = "above quota, concentrated: no reward"
            else:
                outcome = "at quota"
            print("    %s %s: N %s, D %s, R %s, %s%s" % (code, e["name"], dec(n), dec(d), dec(req), outcome,
                                                     ("; rows refused: " + ", ".join(sorted(reasons_all)))
                                                     if reasons_all else ""))


def money_fen(text):
    t = text.replace(",", "")
    whole, _, frac = t.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def round_fen(x):
    fen = int(x * 100 + Fraction(1, 2))
    return "%d.%02d" % (fen // 100, fen % 100)


def dec(x):
    x = Fraction(x)
    if x.denominator == 1:
        return str(x.numerator)
    return ("%.6f" % float(x)).rstrip("0")


# ---------------------------------------------------------------- main

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seed", type=int, default=410307)
    p.add_argument("--seekers", type=int, help="number of seekers (all districts together)")
    p.add_argument("--out", help="output directory")
    p.add_argument("--district", default=YANSHI_CODE, help="code of the first district (default 410307 偃师区)")
    p.add_argument("--districts", type=int, help="number of districts (default: 1 per 5,000 seekers)")
    p.add_argument("--year", type=int, default=2024, help="the employment year reviewed (openings in the next)")
    p.add_argument("--encoding", choices=["utf8", "gb18030"], default="utf8")
    p.add_argument("--bom", action="store_true", help="UTF-8 with a byte order mark")
    p.add_argument("--crlf", action="store_true", help="CRLF line ends (default LF)")
    p.add_argument("--headers", choices=["en", "zh"], default="en",
                   help="zh: Chinese column headers, Chinese labels for enumerations and booleans, 、-lists")
    p.add_argument("--reach", choices=["mixed", "local"], default="mixed",
                   help="openings' reach: mixed (default; about a third recruit district-wide, so a 10,000-seeker "
                        "district has ~190 eligible openings a seeker) or local (own town, 20 %% also neighbours: "
                        "~65 a seeker, the 30-80 of issue #4); nothing else changes")
    p.add_argument("--check", action="store_true", help="verify --out after writing")
    p.add_argument("--verify", metavar="DIR", help="verify an existing directory and write nothing")
    p.add_argument("--date", help="run date for --check/--verify's eligibility analysis (default YEAR+1-09-01)")
    a = p.parse_args()
    ref = D.fromisoformat(a.date) if a.date else D(a.year + 1, 9, 1)
    if a.verify:
        sys.exit(0 if verify(a.verify, ref) else 1)
    if a.seekers is None or not a.out:
        p.error("--seekers and --out are required (or --verify DIR)")
    if a.seekers < 20:
        p.error("--seekers must be at least 20")
    if a.district != YANSHI_CODE and not (len(a.district) == 6 and a.district.isdigit()):
        p.error("--district must be a 6-digit code")
    counts = Generator(a).run()
    print(", ".join("%s %d" % (k, v) for k, v in counts.items()), file=sys.stderr)
    if a.check:
        sys.exit(0 if verify(a.out, ref) else 1)


if __name__ == "__main__":
    main()
