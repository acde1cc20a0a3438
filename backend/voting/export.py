"""A poll's result as files: CSV for Excel, and an A4 PDF to post on the notice board and sign.

Both are pure functions of the result dict; every number in it is already exact text, so nothing here rounds.
"""
import csv
import io
from datetime import datetime
from decimal import Decimal
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from backend.common.csv import safe_row

# A CID font every PDF reader ships with: Chinese renders without embedding a font file.
FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))

CHANNELS = {"online": "网上", "paper": "纸质", "proxy": "代投"}
MATTERS = {"major": "重大事项", "ordinary": "一般事项"}
TURNOUT_RATIOS = {"turnout_area": "参与表决专有部分面积", "turnout_heads": "参与表决人数"}
APPROVAL_RATIOS = {"approval_area": "同意面积", "approval_heads": "同意人数"}
WIDTH = A4[0] - 40 * mm

# wordWrap="CJK" lets a line break between any two Chinese characters, as Chinese text expects.
BODY = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK")
CELL = ParagraphStyle("cell", BODY, fontSize=10, leading=14)
NUMBER = ParagraphStyle("number", CELL, alignment=TA_RIGHT)
CENTERED = ParagraphStyle("centered", CELL, alignment=TA_CENTER)
COMMUNITY = ParagraphStyle("community", BODY, fontSize=12, leading=18, alignment=TA_CENTER)
TITLE = ParagraphStyle("title", BODY, fontSize=16, leading=24, alignment=TA_CENTER, spaceAfter=4 * mm)
VERDICT = ParagraphStyle("verdict", BODY, fontSize=18, leading=26, alignment=TA_CENTER, spaceBefore=4 * mm)
GRID = TableStyle([
    ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
])


def result_csv(result: dict) -> bytes:
    """The result as a spreadsheet: a row per building, channel and option, then totals and turnout."""
    return _csv_bytes(_csv_rows(result))


def _csv_bytes(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(safe_row(row) for row in rows)
    # The BOM is what makes Excel on a Chinese Windows read the file as UTF-8 rather than GBK.
    return out.getvalue().encode("utf-8-sig")


def _csv_rows(result: dict):
    labels = {option["id"]: option["label"] for option in result["options"]}
    yield ["楼栋", "渠道", "选项", "票数", "面积(㎡)"]
    for row in result["rows"]:
        channel = CHANNELS.get(row["channel"], row["channel"])
        yield [row["building"], channel, labels[row["option_id"]], row["votes"], row["area"]]
    yield []
    yield ["选项", "票数", "面积(㎡)"]
    for option in result["options"]:
        yield [option["label"], option["votes"], option["area"]]
    yield []
    yield from _turnout_rows(result["turnout"])


def _turnout_rows(turnout: dict):
    yield ["参与表决人数", turnout["voters"]]
    yield ["应参与表决人数", turnout["eligible"]]
    if turnout["area"] is not None:
        yield ["参与表决面积(㎡)", turnout["area"]]
    if turnout["total_area"] is not None:
        yield ["总面积(㎡)", turnout["total_area"]]


def result_pdf(result: dict) -> bytes:
    """The result as a printable A4 notice: options, the Civil Code ratios, the verdict and lines to sign."""
    poll, out = result["poll"], io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm, bottomMargin=18 * mm,
        title=poll["title"], author=poll["community"], creator="社区云",
    )
    doc.build(_story(result))
    return out.getvalue()


def _story(result: dict) -> list:
    poll, owners = result["poll"], result["owners"]
    zone = ZoneInfo(poll["timezone"])
    story = [*_heading(poll, zone), _options_table(result["options"])]
    if owners:
        story += [Spacer(0, 4 * mm), _ratios_table(owners), _para(_verdict(owners), VERDICT)]
    story += [Spacer(0, 4 * mm), *_roll(result["turnout"], owners)]
    story += [_para(f"生成时间：{_local(result['generated_at'], zone)}"), Spacer(0, 12 * mm), _signatures()]
    return story


def _heading(poll: dict, zone: ZoneInfo) -> list:
    period = f"{_local(poll['opens_at'], zone)} 至 {_local(poll['closes_at'], zone)}"
    return [
        _para(poll["community"], COMMUNITY),
        _para(poll["title"], TITLE),
        _para(f"类型：{_kind(poll)}"),
        _para(f"表决期间：{period}"),
        _para(f"投票方式：{'无记名' if poll['secret'] else '记名'}投票"),
        Spacer(0, 4 * mm),
    ]


def _kind(poll: dict) -> str:
    if poll["kind"] == "opinion":
        return "意见征集"
    matter = MATTERS.get(poll["matter"])
    return f"业主共同决定事项·{matter}" if matter else "业主共同决定事项"


def _options_table(options: list[dict]) -> Table:
    # An opinion poll counts people only; an area column of dashes would only confuse.
    with_area = any(option["area"] is not None for option in options)
    header = ["选项", "票数", "面积(㎡)"] if with_area else ["选项", "票数"]
    rows = [[option["label"], option["votes"], option["area"]][: len(header)] for option in options]
    widths = [WIDTH - 70 * mm, 30 * mm, 40 * mm] if with_area else [WIDTH - 30 * mm, 30 * mm]
    return _table(header, rows, widths, [CELL, NUMBER, NUMBER])


def _ratios_table(owners: dict) -> Table:
    rows = [
        [name, _percent(owners[key]), _requirement(owners[key]), "达到" if owners[key]["met"] else "未达到"]
        for key, name in {**TURNOUT_RATIOS, **APPROVAL_RATIOS}.items()
    ]
    widths = [WIDTH - 105 * mm, 45 * mm, 35 * mm, 25 * mm]
    return _table(["项目", "实际", "要求", "结果"], rows, widths, [CELL, NUMBER, CENTERED, CENTERED])


def _percent(ratio: dict) -> str:
    # value has four decimals, so as a percentage it has exactly two: no second rounding.
    return f"{Decimal(ratio['value']) * 100:.2f}%（{ratio['fraction']}）"


def _requirement(ratio: dict) -> str:
    return f"{'>' if ratio['strict'] else '≥'} {ratio['threshold']}"


def _verdict(owners: dict) -> str:
    if owners["passed"]:
        return "表决通过"
    # Without a quorum the approval ratios are beside the point: name only what stopped the vote.
    ratios = APPROVAL_RATIOS if owners["quorum"] else TURNOUT_RATIOS
    missed = [name for key, name in ratios.items() if not owners[key]["met"]]
    return f"表决未通过 — 未达到{'、'.join(missed)}要求" if missed else "表决未通过"


def _roll(turnout: dict, owners: dict | None) -> list[Paragraph]:
    if owners:
        return [_para(f"总面积：{owners['total_area']}㎡，业主总人数：{owners['total_heads']}"),
                _para(f"参与表决面积：{owners['voted_area']}㎡，参与表决人数：{owners['voted_heads']}")]
    return [_para(f"参与人数：{turnout['voters']}，应参与人数：{turnout['eligible']}")]


def _signatures() -> Table:
    table = Table([[_para(text) for text in ("统计人：", "", "监票人：", "", "日期：", "")]],
                  colWidths=[22 * mm, 32 * mm, 22 * mm, 32 * mm, 18 * mm, 32 * mm])
    table.setStyle(TableStyle([("LINEBELOW", (col, 0), (col, 0), 0.5, colors.black) for col in (1, 3, 5)]))
    return table


def _table(header: list[str], rows: list[list], widths: list[float], styles: list[ParagraphStyle]) -> Table:
    cells = [[_para(text, CELL) for text in header]]
    cells += [[_para(value, style) for value, style in zip(row, styles)] for row in rows]
    table = Table(cells, colWidths=widths, repeatRows=1)
    table.setStyle(GRID)
    return table


def _para(value, style: ParagraphStyle = BODY) -> Paragraph:
    # Paragraph reads its text as markup; a label like "<b>" or "A&B" must come out as typed.
    return Paragraph(escape("" if value is None else str(value)), style)


def _local(moment: str, zone: ZoneInfo) -> str:
    local = datetime.fromisoformat(moment).astimezone(zone)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def roll_csv(rows: list[dict]) -> bytes:
    """The frozen roll of an owners' decision, a unit a row: for checking against the housing register."""
    lines = [["单位编号", "房屋", "面积(㎡)", "业主手机"]]
    lines += [[r["number"], "、".join(r["dwellings"]), r["area"], "、".join(r["owners"])] for r in rows]
    return _csv_bytes(lines)
