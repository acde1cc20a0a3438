"""The demo community's facilities: 25 places of 10 kinds around 幸福里 (南山区粤海街道, Shenzhen)."""
from sqlalchemy import select

from backend.extensions import db
from backend.facilities.hours import DAYS
from backend.facilities.models import Facility, FacilityType
from backend.facilities.services import index_facility

TYPES = [("党群服务中心", "flag-o"), ("社康中心", "service-o"), ("长者服务站", "friends-o"), ("图书馆", "bookmark-o"),
         ("警务室", "shield-o"), ("爱心超市", "gift-o"), ("智能快递柜", "logistics"), ("AED 急救设备", "like-o"),
         ("公共厕所", "wap-home-o"), ("运动场地", "medal-o")]
WORK, WEEKEND = DAYS[:5], DAYS[5:]
ALL_DAY = {d: [["00:00", "24:00"]] for d in DAYS}


def week(ranges, days=DAYS, **other):
    out = {d: ranges if d in days else [] for d in DAYS}
    out.update(other)
    return out


OFFICE = [["09:00", "12:00"], ["14:00", "18:00"]]
NATIONAL_DAY = {"start": "2026-10-01", "end": "2026-10-07", "kind": "closed", "ranges": [], "note": "国庆假期闭馆"}
NEW_YEAR = {"start": "2027-01-01", "end": "2027-01-01", "kind": "hours", "ranges": [["09:00", "12:00"]],
            "note": "元旦只开上午"}
SPRING = {"start": "2027-02-05", "end": "2027-02-11", "kind": "closed", "ranges": [], "note": "春节假期休息"}
SPRING_DUTY = {"start": "2027-02-05", "end": "2027-02-11", "kind": "hours", "ranges": [["09:00", "12:00"]],
               "note": "春节假期值班，只开上午"}
FLU_NIGHT = {"start": "2026-12-01", "end": "2027-01-31", "kind": "open_24h", "ranges": [],
             "note": "流感高发期 24 小时发热门诊"}
WHEEL = ["wheelchair", "step_free", "accessible_toilet"]

# name, type index, address, lat, lng, phone, description, accessibility, hours, exceptions
FACILITIES = [
    ("幸福里社区党群服务中心", 0, "科苑路 15 号幸福里小区东门", 22.5405, 113.9412, "0755-2666 1234",
     "社区居委会、综合服务窗口、党员活动室和多功能活动室；工作日晚上延时服务。", WHEEL + ["elevator", "seating"],
     week(OFFICE, WEEKEND, **{d: [["09:00", "12:00"], ["14:00", "20:00"]] for d in WORK}),
     [NATIONAL_DAY, NEW_YEAR, SPRING_DUTY]),
    ("幸福里社区多功能活动室", 0, "党群服务中心二楼", 22.5406, 113.9413, "0755-2666 1234",
     "可预约开展居民议事、兴趣小组、亲子活动，容纳 40 人。", ["elevator"],
     week([["09:00", "21:00"]]), [NATIONAL_DAY, SPRING]),
    ("粤海街道党群服务中心", 0, "科技南十路 6 号", 22.5368, 113.9447, "0755-2660 0000",
     "街道级党群服务中心，提供政务服务和社会组织孵化。", WHEEL + ["elevator"], week(OFFICE, WORK), [NATIONAL_DAY]),
    ("幸福里社康中心", 1, "科苑路 21 号", 22.5412, 113.9398, "0755-2666 5678",
     "全科门诊、预防接种、慢病管理、家庭医生签约；设发热诊室。", WHEEL + ["seating"],
     week([["08:00", "12:00"], ["14:00", "21:00"]]), [FLU_NIGHT, SPRING_DUTY]),
    ("高新南社康中心", 1, "高新南七道 9 号", 22.5352, 113.9461, "0755-2660 3120",
     "全科门诊、中医理疗、儿童保健。", WHEEL, week([["08:00", "12:00"], ["14:00", "17:30"]]), [SPRING]),
    ("幸福里长者服务站", 2, "幸福里 6 栋架空层", 22.5401, 113.9420, "0755-2666 2233",
     "日间照料、长者饭堂（11:00–13:00）、健康讲座、助浴助洁预约。", WHEEL + ["seating"],
     week([["08:30", "17:30"]], DAYS[:6]), [SPRING_DUTY]),
    ("粤海街道长者日间照料中心", 2, "大冲一路 2 号", 22.5390, 113.9480, "0755-2660 8899",
     "提供日托、康复训练和认知症照护。", WHEEL + ["elevator"], week([["08:00", "18:00"]], DAYS[:6]), [SPRING]),
    ("幸福里社区书屋", 3, "党群服务中心三楼", 22.5405, 113.9411, "",
     "藏书 8000 册，可通借通还深圳图书馆图书；设大字本和老花镜。", ["elevator", "seating"],
     week([["09:00", "21:00"]], DAYS[1:]), [NATIONAL_DAY, SPRING]),
    ("南山区图书馆科技园分馆", 3, "科技中二路 18 号", 22.5432, 113.9501, "0755-2660 1100",
     "自助借还、少儿阅览、自习区。", WHEEL + ["elevator", "braille"], week([["09:00", "21:00"]], DAYS[1:]),
     [NATIONAL_DAY]),
    ("幸福里警务室", 4, "幸福里小区西门岗亭旁", 22.5398, 113.9391, "0755-2666 0110",
     "社区民警和辅警值守，办理居住登记、调解纠纷。紧急情况请拨打 110。", ["step_free"], ALL_DAY, []),
    ("粤海派出所", 4, "科技南八路 2 号", 22.5360, 113.9430, "0755-2660 0110",
     "户政室办理户口、身份证：周一至周六 9:00–12:00，14:00–18:00。", WHEEL, ALL_DAY, []),
    ("幸福里爱心超市", 5, "党群服务中心一楼东侧", 22.5404, 113.9414, "0755-2666 1234",
     "志愿服务积分兑换日用品和服务；接收爱心捐赠。", ["step_free"],
     week([["09:00", "11:30"], ["15:00", "17:30"]], ("tue", "thu", "sat")), [SPRING]),
    ("粤海慈善商店", 5, "科苑路 40 号", 22.5385, 113.9405, "",
     "二手衣物书籍义卖，收入用于社区困难家庭帮扶。", ["step_free"], week([["10:00", "19:00"]]), [SPRING]),
    ("幸福里 3 栋快递柜", 6, "3 栋一楼大堂", 22.5408, 113.9403, "", "丰巢柜，24 小时取件。", ["step_free"],
     ALL_DAY, []),
    ("幸福里 8 栋快递柜", 6, "8 栋北侧", 22.5399, 113.9425, "", "中邮智递柜，24 小时取件。", [], ALL_DAY, []),
    ("幸福里东门快递柜", 6, "小区东门内", 22.5406, 113.9418, "", "丰巢柜，支持寄件。", ["step_free"], ALL_DAY, []),
    ("AED（党群服务中心大厅）", 7, "党群服务中心一楼大厅", 22.5405, 113.9412, "",
     "自动体外除颤器，位于大厅服务台左侧，开门时间内可取用。", ["step_free"],
     week([["08:00", "21:00"]]), []),
    ("AED（幸福里西门岗亭）", 7, "小区西门保安岗亭", 22.5397, 113.9390, "",
     "自动体外除颤器，保安 24 小时值守，可协助取用。", ["step_free"], ALL_DAY, []),
    ("AED（深大地铁站 A 口）", 7, "地铁 1 号线深大站 A 口站厅", 22.5402, 113.9360, "",
     "自动体外除颤器，地铁运营时间内可取用。", ["elevator"], week([["06:30", "23:30"]]), []),
    ("AED（科苑路便利店）", 7, "科苑路 33 号 24 小时便利店", 22.5389, 113.9401, "",
     "自动体外除颤器，店员可协助取用。", ["step_free"], ALL_DAY, []),
    ("幸福里公园公厕", 8, "幸福里公园北门", 22.5418, 113.9416, "", "设无障碍厕位和第三卫生间。",
     WHEEL, week([["06:00", "23:00"]]), []),
    ("科苑路公厕", 8, "科苑路与科技南十路交叉口", 22.5378, 113.9420, "", "24 小时开放。", ["accessible_toilet"],
     ALL_DAY, []),
    ("幸福里灯光篮球场", 9, "幸福里公园南侧", 22.5413, 113.9423, "",
     "两片标准篮球场，晚上开灯至次日 0:30。", [], week([["06:00", "08:30"], ["16:00", "00:30"]]), []),
    ("幸福里健身广场", 9, "幸福里公园中心", 22.5416, 113.9419, "", "健身路径、乒乓球台、广场舞场地。",
     ["step_free", "seating"], ALL_DAY, []),
    ("粤海学校运动场（错时开放）", 9, "科技南十二路 3 号", 22.5371, 113.9395, "",
     "学校运动场在非教学时间向居民开放，凭身份证登记入场。", ["step_free"],
     week([["18:00", "21:30"]], WORK, sat=[["06:00", "21:30"]], sun=[["06:00", "21:30"]]),
     [{"start": "2027-01-25", "end": "2027-02-20", "kind": "hours", "ranges": [["06:00", "21:30"]],
       "note": "寒假全天开放"}]),
]


def seed_facilities(community_id: int) -> int | None:
    """Load the demo facilities unless the community has some; the party-and-masses centre's id."""
    if db.session.scalar(select(FacilityType.id).filter_by(community_id=community_id).limit(1)):
        return None
    types = [FacilityType(community_id=community_id, name=n, icon=i, position=p) for p, (n, i) in enumerate(TYPES)]
    db.session.add_all(types)
    db.session.flush()
    rows = []
    for name, t, address, lat, lng, phone, description, access, hours, exceptions in FACILITIES:
        rows.append(Facility(community_id=community_id, type=types[t], name=name, address=address,
                             latitude=lat, longitude=lng, phone=phone, description=description,
                             accessibility=access, photos=[], hours=hours, exceptions=exceptions))
    db.session.add_all(rows)
    db.session.flush()
    for row in rows:
        index_facility(row)
    return rows[0].id
