"""The demo community's service guide: 40 items in 8 categories a Shenzhen community really handles."""
from sqlalchemy import select

from backend.extensions import db
from backend.guide.models import GuideCategory, GuideItem
from backend.guide.services import index_item
from backend.search.models import SynonymGroup

OFFICE = "幸福里社区党群服务中心一楼综合服务窗口"
HOURS = "周一至周日 9:00–12:00，14:00–18:00；工作日延时至 20:00（错时服务），法定节假日另行公告"
PHONE = "0755-2666 1234"
ID = ("居民身份证", "original", 1, "")
HUKOU = ("户口簿", "original", 1, "")
PHOTO = ("近期免冠彩色照片（白底 1 寸）", "original", 2, "")
BANK = ("本人社保卡或银行卡", "copy", 1, "用于发放资金")


def _m(*materials):
    return [{"name": n, "form": f, "copies": c, "note": note} for n, f, c, note in materials]


def item(title, summary, audience, materials, steps, *, fee="免费", days=None, basis="", mode="in_person",
         url="", tags=(), aliases=(), office=OFFICE, instead=""):
    return dict(title=title, summary=summary, audience=audience, materials=_m(*materials), steps=list(steps),
                fee=fee, time_limit_days=days, legal_basis=basis, mode=mode, online_url=url, tags=list(tags),
                aliases=list(aliases), office=office, office_hours=HOURS, phone=PHONE,
                no_longer_issued=bool(instead), instead=instead, published=True)


GOV = "https://www.gdzwfw.gov.cn/"
SZ_SOCIAL = "https://hrss.sz.gov.cn/"
SUBMIT = ["到社区综合服务窗口取号", "窗口工作人员核对材料", "提交申请并领取回执"]

CATEGORIES = [
    ("户籍与居住证", "idcard", [
        item("居住证办理", "来深居住半年以上的非深户籍人员申领深圳经济特区居住证",
             "在深圳居住并有合法稳定住所、稳定就业或连续就读之一，已办理居住登记满 6 个月",
             [ID, ("房屋租赁凭证或房产证", "copy", 1, "租房的需出租屋信息登记"), ("劳动合同或营业执照", "copy", 1, ""),
              PHOTO],
             ["在“深圳公安”小程序或窗口申报居住登记", *SUBMIT, "10 个工作日后凭回执领证"],
             days=10, basis="《深圳经济特区居住证条例》第十条", mode="both", url=GOV,
             tags=["居住证", "流动人口"], aliases=["暂住证", "居住登记"]),
        item("居住证签注（续期）", "居住证有效期届满前 30 日内办理续期签注",
             "持有有效深圳居住证、仍在深居住的人员", [ID, ("居住证", "original", 1, ""), ("租赁凭证", "copy", 1, "")],
             ["登录“深圳公安”小程序选择居住证签注", "上传材料并确认", "签注结果短信通知"],
             days=5, basis="《深圳经济特区居住证条例》", mode="online", url=GOV, tags=["居住证"],
             aliases=["居住证续签"]),
        item("户口迁入（人才引进）", "符合条件的人才办理户口迁入深圳",
             "全日制本科及以上学历或具有中级以上职称，年龄符合规定",
             [ID, HUKOU, ("毕业证书", "original", 1, ""), PHOTO],
             ["在“i 深圳”App 提交人才引进申请", "人社部门审核", "凭准迁证到辖区派出所落户"],
             days=20, mode="both", url=GOV, tags=["户口", "入户"], aliases=["落户", "迁户口"],
             office="粤海派出所户政室"),
        item("新生儿出生入户", "新生儿随父母在深圳申报户口", "父母一方为深圳户籍、孩子出生一个月内",
             [("出生医学证明", "original", 1, ""), HUKOU, ("父母结婚证", "original", 1, ""), ID],
             ["到粤海派出所户政窗口申报", "民警审核材料", "当场办结并在户口簿上登记"],
             days=1, tags=["户口", "新生儿"], aliases=["上户口", "报户口"], office="粤海派出所户政室"),
        item("居民身份证换领、补领", "身份证到期换领或遗失补领，可异地办理",
             "身份证有效期届满、损坏或遗失的居民", [HUKOU, ("旧身份证", "original", 1, "遗失补领的不需要")],
             ["到派出所或自助机现场采集人像和指纹", "缴纳工本费", "选择邮寄或到所领取"],
             fee="换领 20 元，补领 40 元", days=20, basis="《中华人民共和国居民身份证法》",
             tags=["身份证"], aliases=["补办身份证", "换身份证"], office="粤海派出所户政室"),
    ]),
    ("社会救助", "gold-coin-o", [
        item("最低生活保障申请", "家庭人均收入低于本市低保标准的家庭申请低保",
             "深圳户籍，家庭月人均收入低于低保标准且家庭财产符合规定",
             [ID, HUKOU, ("家庭成员收入证明或个人收入申报", "original", 1, ""),
              ("家庭经济状况核对授权书", "original", 1, "窗口领取并签字"), BANK],
             ["到社区窗口提出申请", "社区入户调查并张榜公示 7 天", "街道审核、区民政局确认", "按月发放低保金"],
             days=30, basis="《社会救助暂行办法》；《深圳市最低生活保障办法》",
             tags=["低保", "救助"], aliases=["最低生活保障", "吃低保"]),
        item("特困人员救助供养", "无劳动能力、无生活来源、无法定赡养扶养义务人的老年人、残疾人和未成年人",
             "同时符合“三无”条件的深圳户籍居民", [ID, HUKOU, ("残疾人证或病历", "copy", 1, "如有")],
             ["本人或委托社区代为申请", "社区调查核实", "街道审核，区民政局审批"],
             days=30, basis="《社会救助暂行办法》第二章", tags=["救助", "五保"], aliases=["五保户", "特困供养"]),
        item("临时救助申请", "因火灾、交通事故、突发重大疾病等导致基本生活暂时困难的家庭",
             "深圳户籍或持居住证的困难家庭", [ID, ("困难情况说明及相关证明", "copy", 1, "如医疗费票据")],
             ["向社区提出申请", "社区核实情况", "街道审批发放，情况紧急的先行救助"],
             days=15, tags=["救助", "急难"], aliases=["急难救助"]),
        item("低收入家庭认定", "认定低收入家庭，可享受医疗、教育、住房等专项救助",
             "家庭月人均收入在低保标准 1.5 倍以内的深圳户籍家庭", [ID, HUKOU, ("家庭收入申报表", "original", 1, "")],
             SUBMIT + ["社区入户调查与公示", "区民政局认定"], days=30, tags=["低保边缘", "救助"],
             aliases=["低边家庭"]),
        item("医疗救助申请", "低保、特困等困难群众自付医疗费用的救助",
             "低保对象、特困人员、低收入家庭成员等", [ID, ("住院费用清单和发票", "copy", 1, ""),
                                         ("出院小结", "copy", 1, ""), BANK],
             ["出院后 90 天内向社区提交材料", "街道审核", "区医保局核定并发放"],
             days=20, tags=["医疗", "救助"], aliases=["大病救助"]),
    ]),
    ("养老服务", "friends-o", [
        item("高龄老人津贴申领", "80 周岁以上深圳户籍老人按月领取高龄津贴",
             "年满 80 周岁的深圳户籍老年人", [ID, HUKOU, BANK],
             ["子女或本人到社区窗口申请（可上门代办）", "街道审核", "次月起按月发放"],
             days=15, basis="《深圳市高龄老人津贴发放办法》", mode="both", url=GOV,
             tags=["老人", "津贴"], aliases=["高龄补贴", "老人补贴", "长寿金"]),
        item("老年人优待证办理", "65 周岁以上老人办理敬老优待证，免费乘坐公交、游览公园",
             "年满 60 周岁的深圳户籍及持居住证的老年人（65 岁以上免费乘公交）", [ID, PHOTO],
             ["到社区窗口填写申请表", "现场拍照", "约 10 个工作日后领证"],
             days=10, tags=["老人", "敬老"], aliases=["老年卡", "敬老卡", "老人卡", "敬老优待证"]),
        item("居家养老服务补贴", "为经济困难、失能的老人提供上门服务补贴",
             "60 周岁以上深圳户籍且属低保、低收入、失能等情形", [ID, ("评估报告", "original", 1, "由评估机构出具")],
             ["社区受理申请", "第三方上门评估", "确定服务套餐并由服务机构上门"],
             days=20, tags=["居家养老", "补贴"], aliases=["上门服务"]),
        item("长者饭堂助餐服务", "长者服务站每天中午提供助餐，高龄和困难老人有补贴",
             "60 周岁以上老年人，先登记后就餐", [ID], ["到长者服务站登记", "每天 11:00–13:00 凭卡就餐"],
             fee="每餐 12 元，80 岁以上及困难老人 6 元", tags=["老人", "吃饭"], aliases=["老人食堂", "助餐"],
             office="幸福里长者服务站"),
        item("老年人意外伤害保险", "政府为 60 周岁以上户籍老人统一购买意外伤害保险",
             "60 周岁以上深圳户籍老人，自动参保", [ID, ("医疗发票及病历", "copy", 1, "理赔时提供")],
             ["出险后 30 天内联系社区或保险公司报案", "提交理赔材料", "保险公司审核赔付"],
             tags=["老人", "保险"], aliases=["银龄安康"]),
    ]),
    ("残疾人服务", "like-o", [
        item("残疾人证办理", "首次申领、换领第三代智能化残疾人证",
             "经评定符合残疾标准的深圳户籍或持居住证人员", [ID, HUKOU, PHOTO],
             ["社区受理申请", "到指定医院进行残疾评定", "区残联审核发证"],
             days=20, basis="《残疾人残疾分类和分级》（GB/T 26341-2010）", mode="both", url=GOV,
             tags=["残疾人"], aliases=["残疾证", "残联"]),
        item("残疾人两项补贴", "困难残疾人生活补贴和重度残疾人护理补贴",
             "持有残疾人证的深圳户籍困难或重度残疾人", [ID, ("残疾人证", "original", 1, ""), BANK],
             SUBMIT + ["区残联审核", "按月发放"], days=20, tags=["残疾人", "补贴"], aliases=["护理补贴"]),
        item("家庭无障碍改造申请", "为残疾人和失能老人家庭免费改造扶手、坡道、浴室等",
             "持证残疾人或失能老人家庭", [ID, ("残疾人证或评估报告", "copy", 1, "")],
             ["社区受理", "专业机构上门评估设计", "施工并验收"], days=60, tags=["无障碍", "改造"],
             aliases=["适老化改造"]),
        item("残疾人辅助器具适配", "免费适配轮椅、助听器、助行器等辅助器具",
             "持证残疾人", [ID, ("残疾人证", "original", 1, "")],
             ["社区登记需求", "到区辅具中心评估适配", "领取辅具"], days=30, tags=["残疾人", "轮椅"], aliases=["辅具"]),
        item("残疾人就业登记", "登记求职意愿，获得按比例就业岗位推荐和培训",
             "16 周岁以上有劳动能力的持证残疾人", [ID, ("残疾人证", "original", 1, "")],
             SUBMIT + ["推荐岗位或培训"], days=5, tags=["残疾人", "就业"]),
    ]),
    ("就业创业", "bag-o", [
        item("就业登记", "用人单位招用人员或个人灵活就业后进行就业登记",
             "在深就业的劳动者", [ID, ("劳动合同", "copy", 1, "")],
             ["在“深圳人社”App 办理", "或到社区窗口代办"], days=1, mode="online", url=SZ_SOCIAL,
             tags=["就业"], aliases=["上岗登记"]),
        item("失业登记", "在法定劳动年龄内有劳动能力和就业要求的失业人员办理失业登记",
             "16 周岁至法定退休年龄、处于无业状态的人员", [ID, ("解除劳动合同证明", "copy", 1, "如有")],
             ["在“深圳人社”App 或社区窗口申请", "当场办结"], days=1, mode="both", url=SZ_SOCIAL,
             tags=["失业", "就业"], aliases=["下岗登记"]),
        item("失业保险金申领", "非因本人意愿中断就业、缴费满一年的失业人员领取失业保险金",
             "已办理失业登记并有求职要求", [ID, BANK],
             ["在广东政务服务网或“深圳人社”App 申领", "人社部门审核", "按月发放"],
             days=10, basis="《失业保险条例》第十四条", mode="online", url=SZ_SOCIAL,
             tags=["失业"], aliases=["失业金", "失业补助"]),
        item("创业担保贷款", "个人创业最高可申请 60 万元贴息贷款",
             "在深圳创办企业或个体工商户的人员", [ID, ("营业执照", "copy", 1, ""), ("创业计划书", "original", 1, "")],
             ["向合作银行提出申请", "人社部门审核", "银行放款"], days=30, tags=["创业", "贷款"], aliases=["创业贷"]),
        item("就业困难人员认定", "认定后可享受社保补贴、公益性岗位安置等",
             "大龄、残疾、低保家庭等就业困难人员", [ID, HUKOU],
             SUBMIT + ["区人社局认定"], days=15, tags=["就业", "困难"]),
    ]),
    ("社保医保", "shield-o", [
        item("城乡居民医疗保险参保", "未参加职工医保的户籍居民、学生和儿童参加居民医保",
             "深圳户籍居民及持居住证的非从业人员、在校学生", [ID, HUKOU],
             ["每年 9–12 月集中参保", "在“深圳医保”小程序或社区窗口登记", "缴费后次年生效"],
             fee="按当年标准缴费，低保等困难人员由政府资助", mode="both", url=GOV,
             tags=["医保", "医疗保险"], aliases=["居民医保", "新农合"]),
        item("医保异地就医备案", "长期异地居住或转外地就医前办理备案，可直接结算",
             "参加深圳医保并异地长期居住或转诊的人员", [ID],
             ["在“国家医保服务平台”App 办理备案", "即时生效"], days=1, mode="online",
             url="https://fuwu.nhsa.gov.cn/", tags=["医保", "异地"], aliases=["异地医保", "转诊备案"]),
        item("城乡居民养老保险参保", "未参加职工养老保险的户籍居民参加居民养老保险",
             "年满 16 周岁、非在校学生、未参加职工养老保险的深圳户籍居民", [ID, HUKOU, BANK],
             SUBMIT + ["选择缴费档次并签订代扣协议"], mode="both", url=SZ_SOCIAL, tags=["社保", "养老保险"],
             aliases=["居民养老", "社保"]),
        item("社保卡申领与补换", "申领第三代社保卡，或挂失补换", "在深参保人员",
             [ID, ("近期免冠照片", "original", 1, "可现场拍")],
             ["在合作银行网点或“深圳人社”App 申请", "即时制卡或邮寄"], fee="首次免费，补换 15 元", days=10,
             mode="both", url=SZ_SOCIAL, tags=["社保卡"], aliases=["医保卡", "社保卡补办"]),
        item("门诊特定病种申请", "高血压、糖尿病等慢性病门诊费用按更高比例报销",
             "参加深圳医保、确诊门诊特定病种的人员", [ID, ("病历及诊断证明", "copy", 1, "")],
             ["在定点医院医生处申请", "医保审核后生效"], days=5, tags=["医保", "慢性病"], aliases=["门特", "慢病"]),
    ]),
    ("生育与家庭", "smile-o", [
        item("生育登记", "生育子女前后均可办理生育登记（含二孩、三孩）",
             "夫妻一方为深圳户籍或在深居住的夫妻", [ID, ("结婚证", "original", 1, "")],
             ["在“粤省事”小程序办理生育登记", "即时生成登记信息"], mode="online", url=GOV,
             tags=["生育", "二孩"], aliases=["准生证", "生育服务证"]),
        item("生育津贴申领", "参加生育保险的职工生育后领取生育津贴", "参加深圳生育保险的职工",
             [ID, ("出生医学证明", "copy", 1, "")], ["由用人单位在网上申报", "医保部门审核后发放到单位"],
             days=20, mode="online", url=GOV, tags=["生育", "津贴"], aliases=["产假工资"]),
        item("独生子女父母奖励", "独生子女父母退休时享受一次性奖励", "持有《独生子女父母光荣证》的深圳户籍居民",
             [ID, ("独生子女父母光荣证", "original", 1, ""), BANK], SUBMIT + ["街道审核", "区卫健局发放"],
             days=30, tags=["独生子女", "奖励"], aliases=["独生子女奖励金"]),
        item("计划生育特别扶助", "独生子女伤残或死亡家庭的父母按月领取扶助金",
             "女方年满 49 周岁的独生子女伤残、死亡家庭", [ID, HUKOU, BANK], SUBMIT + ["逐级审核"],
             days=30, tags=["计划生育", "扶助"], aliases=["失独家庭"]),
        item("儿童预防接种", "社康中心提供儿童免疫规划疫苗接种", "0–6 岁儿童",
             [("预防接种证", "original", 1, ""), ("儿童出生证明", "copy", 1, "首次建档")],
             ["在“深圳疫苗接种”小程序预约", "按预约时间到社康接种"], tags=["疫苗", "儿童"], aliases=["打疫苗"],
             office="幸福里社康中心预防接种门诊"),
    ]),
    ("不再开具的证明", "certificate", [
        item("亲属关系证明", "居委会不再开具亲属关系证明", "需要证明亲属关系的居民",
             [HUKOU, ("出生医学证明或结婚证", "original", 1, "")], ["使用户口簿、出生证、结婚证等直接证明"],
             tags=["证明"], aliases=["亲属证明", "关系证明"],
             instead="户口簿、出生医学证明、结婚证可直接证明；不在一本户口簿上的到户籍派出所查询"),
        item("无犯罪记录证明", "居委会不再开具无犯罪记录证明", "求职、出国等需要的居民", [ID],
             ["在“深圳公安”小程序申请", "3 个工作日内出具电子证明"], mode="online", url=GOV,
             tags=["证明"], aliases=["良民证", "无犯罪证明"], instead="向户籍地或居住地公安机关申请"),
        item("婚姻状况证明", "居委会不再开具婚姻状况证明", "需要说明婚姻状况的居民", [ID, HUKOU],
             ["以个人书面承诺代替", "需要核实的由部门通过婚姻登记信息共享查询"], tags=["证明", "婚姻"],
             aliases=["单身证明", "未婚证明"], instead="个人书面承诺；婚姻登记信息由办事部门查询"),
        item("生存证明（养老金资格认证）", "居委会不再开具生存证明", "领取养老金的退休人员", [ID],
             ["在“深圳人社”App 刷脸认证", "行动不便的可申请社区工作人员上门协助认证"], mode="online",
             url=SZ_SOCIAL, tags=["证明", "养老金"], aliases=["健在证明", "活着证明", "领养老金认证"],
             instead="社保部门通过数据比对或刷脸认证"),
        item("居住证明（子女入学）", "居委会不再开具用于入学的居住证明", "为子女申请学位的家长",
             [("房产证或租赁凭证", "copy", 1, ""), ("居住证", "copy", 1, "")],
             ["在区教育局学位申请系统填报", "系统核验房屋和居住登记信息"], mode="online", url=GOV,
             tags=["证明", "入学"], aliases=["学位申请居住证明"], instead="学位申请系统核验房屋租赁登记和居住登记"),
    ]),
]

SYNONYMS = [["低保", "最低生活保障"], ["老年卡", "敬老卡", "老年人优待证"], ["医保", "医疗保险"],
            ["社保", "社会保险"], ["准生证", "生育登记"], ["暂住证", "居住证"]]


def seed_guide(community_id: int, facility_id: int | None = None) -> bool:
    """Load the demo guide unless the community already has one."""
    if db.session.scalar(select(GuideCategory.id).filter_by(community_id=community_id).limit(1)):
        return False
    for position, (name, icon, items) in enumerate(CATEGORIES, start=1):
        category = GuideCategory(community_id=community_id, name=name, icon=icon, position=position)
        db.session.add(category)
        db.session.flush()
        for n, fields in enumerate(items, start=1):
            at_centre = fields["office"] == OFFICE
            row = GuideItem(community_id=community_id, category_id=category.id, position=n,
                            facility_id=facility_id if at_centre else None, **fields)
            db.session.add(row)
            db.session.flush()
            index_item(row)
    db.session.add_all(SynonymGroup(community_id=community_id, terms=terms) for terms in SYNONYMS)
    return True
