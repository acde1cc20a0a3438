"""The result exports: CSV that Excel opens right and can't be tricked into formulas, a printable Chinese PDF."""
import csv
import io

import pytest
from pypdf import PdfReader

from backend.voting.export import result_csv, result_pdf

TITLE = "关于使用维修资金更换电梯的表决"


def ratio(part: str, whole: str, value: str, fraction: str, threshold: str = "2/3", strict: bool = False,
          met: bool = True) -> dict:
    return {"part": part, "whole": whole, "value": value, "fraction": fraction,
            "threshold": threshold, "strict": strict, "met": met}


def owners_block(**changes) -> dict:
    block = {
        "matter": "major", "total_area": "15000.00", "total_heads": 200, "voted_area": "12000.00", "voted_heads": 150,
        "turnout_area": ratio("12000.00", "15000.00", "0.8000", "4/5"),
        "turnout_heads": ratio("150", "200", "0.7500", "3/4"),
        "approval_area": ratio("10234.50", "12000.00", "0.8529", "6823/8000", threshold="3/4"),
        "approval_heads": ratio("120", "150", "0.8000", "4/5", threshold="3/4"),
        "quorum": True, "approved": True, "passed": True,
    }
    return {**block, **changes}


def vote_row(building: str, channel: str, option_id: int, votes: int, area: str | None) -> dict:
    return {"building": building, "channel": channel, "option_id": option_id, "votes": votes, "area": area}


def create_result(kind: str = "owners", **changes) -> dict:
    """A closed poll's result shaped like the tally's, owners' decision by default."""
    owners = kind == "owners"
    result = {
        "poll": {"id": 7, "title": TITLE, "kind": kind, "matter": "major" if owners else None,
                 "status": "closed", "secret": True, "opens_at": "2026-11-01T00:00:00+00:00",
                 "closes_at": "2026-11-15T12:00:00+00:00", "community": "幸福里社区", "timezone": "Asia/Shanghai"},
        "options": [
            {"id": 1, "label": "同意", "meaning": "yes", "votes": 120, "area": "10234.50" if owners else None},
            {"id": 2, "label": "不同意", "meaning": "no", "votes": 20, "area": "1200.00" if owners else None},
            {"id": 3, "label": "弃权", "meaning": "abstain", "votes": 10, "area": "565.50" if owners else None},
        ],
        "rows": [
            vote_row("1栋", "online", 1, 30, "2500.00" if owners else None),
            vote_row("2栋", "paper", 2, 5, "400.00" if owners else None),
            vote_row("2栋", "proxy", 3, 1, "80.00" if owners else None),
        ],
        "turnout": {"voters": 150, "eligible": 200, "area": "12000.00" if owners else None,
                    "total_area": "15000.00" if owners else None},
        "owners": owners_block() if owners else None,
        "generated_at": "2026-11-30T12:00:00+00:00",
    }
    return {**result, **changes}


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def pdf_text(data: bytes) -> str:
    """All pages' text with whitespace removed, so a line wrapped by the layout still matches."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return "".join(text.split())


def test_csv_starts_with_bom_and_ends_rows_with_crlf():
    data = result_csv(create_result())

    assert data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == data.count(b"\n")


def test_csv_has_a_row_per_building_channel_and_option_in_chinese():
    rows = csv_rows(result_csv(create_result()))

    assert rows[:4] == [
        ["楼栋", "渠道", "选项", "票数", "面积(㎡)"],
        ["1栋", "网上", "同意", "30", "2500.00"],
        ["2栋", "纸质", "不同意", "5", "400.00"],
        ["2栋", "代投", "弃权", "1", "80.00"],
    ]


def test_csv_follows_rows_with_option_totals_and_turnout():
    rows = csv_rows(result_csv(create_result()))

    assert rows[4:] == [
        [],
        ["选项", "票数", "面积(㎡)"],
        ["同意", "120", "10234.50"], ["不同意", "20", "1200.00"], ["弃权", "10", "565.50"],
        [],
        ["参与表决人数", "150"], ["应参与表决人数", "200"],
        ["参与表决面积(㎡)", "12000.00"], ["总面积(㎡)", "15000.00"],
    ]


def test_csv_of_an_opinion_poll_leaves_area_empty_and_skips_area_turnout():
    rows = csv_rows(result_csv(create_result("opinion")))

    assert rows[1] == ["1栋", "网上", "同意", "30", ""]
    assert rows[-2:] == [["参与表决人数", "150"], ["应参与表决人数", "200"]]


def test_csv_neutralises_a_formula_looking_label():
    result = create_result()
    result["options"][0]["label"] = '=HYPERLINK("http://evil.example","点我")'

    rows = csv_rows(result_csv(result))

    assert rows[1][2] == "'" + '=HYPERLINK("http://evil.example","点我")'
    assert rows[6][0] == rows[1][2]


def test_csv_round_trips_commas_quotes_and_newlines():
    result = create_result()
    result["options"][1]["label"] = '不同意, 理由见"附件"\n第二行'

    rows = csv_rows(result_csv(result))

    assert rows[2][2] == '不同意, 理由见"附件"\n第二行'
    assert len(rows) == 14


def test_pdf_shows_title_kind_and_verdict_in_chinese():
    data = result_pdf(create_result())

    text = pdf_text(data)
    assert data.startswith(b"%PDF")
    assert "幸福里社区" in text and TITLE in text
    assert "业主共同决定事项·重大事项" in text and "无记名投票" in text
    assert "表决通过" in text and "表决未通过" not in text


def test_pdf_shows_period_and_generation_time_in_the_community_timezone():
    text = pdf_text(result_pdf(create_result()))

    assert "2026年11月1日08:00至2026年11月15日20:00" in text
    assert "生成时间：2026年11月30日20:00" in text


def test_pdf_shows_each_ratio_as_percent_and_exact_fraction():
    text = pdf_text(result_pdf(create_result()))

    assert "参与表决专有部分面积80.00%（4/5）≥2/3达到" in text
    assert "同意面积85.29%（6823/8000）≥3/4达到" in text
    assert "统计人：" in text and "监票人：" in text


@pytest.mark.parametrize(("changes", "verdict"), [
    ({"quorum": False, "turnout_heads": ratio("120", "200", "0.6000", "3/5", met=False)},
     "表决未通过—未达到参与表决人数要求"),
    ({"approved": False, "approval_area": ratio("8000.00", "12000.00", "0.6667", "2/3", "3/4", met=False),
      "approval_heads": ratio("100", "150", "0.6667", "2/3", "3/4", met=False)},
     "表决未通过—未达到同意面积、同意人数要求"),
])
def test_pdf_names_what_a_failed_vote_missed(changes, verdict):
    result = create_result(owners=owners_block(passed=False, **changes))

    text = pdf_text(result_pdf(result))

    assert verdict in text
    assert "未达到" in text.split(verdict)[0]  # the ratios table marks the miss too


def test_pdf_of_an_ordinary_matter_requires_more_than_half():
    result = create_result(owners=owners_block(
        matter="ordinary", approval_area=ratio("10234.50", "12000.00", "0.8529", "6823/8000", "1/2", strict=True)))
    result["poll"]["matter"] = "ordinary"

    text = pdf_text(result_pdf(result))

    assert "业主共同决定事项·一般事项" in text
    assert "同意面积85.29%（6823/8000）>1/2达到" in text


def test_pdf_renders_an_opinion_poll_without_owners_block():
    result = create_result("opinion")
    result["poll"]["secret"] = False

    text = pdf_text(result_pdf(result))

    assert "意见征集" in text and "记名投票" in text and "无记名" not in text
    assert "参与人数：150" in text
    assert "表决通过" not in text and "面积" not in text


def test_pdf_prints_markup_in_labels_as_typed():
    result = create_result()
    result["options"][0]["label"] = "<b>同意</b> & 支持"

    assert "<b>同意</b>&支持" in pdf_text(result_pdf(result))


def test_pdf_uses_the_builtin_chinese_font():
    page = PdfReader(io.BytesIO(result_pdf(create_result()))).pages[0]

    fonts = [font.get_object()["/BaseFont"] for font in page["/Resources"]["/Font"].values()]
    assert "/STSong-Light" in fonts


def test_300_rows_make_a_long_csv_but_still_a_short_pdf():
    result = create_result()
    result["rows"] = [vote_row(f"{n // 6 + 1}栋", "online", n % 3 + 1, 1, "88.00") for n in range(300)]

    assert len(csv_rows(result_csv(result))) == 1 + 300 + 10
    assert len(PdfReader(io.BytesIO(result_pdf(result))).pages) <= 2
