"""The certificate of volunteer hours as a one-page A4 PDF, in Chinese with the viewer's built-in
STSong-Light font (a CID font: no font file is embedded or needed)."""
import io
from zoneinfo import ZoneInfo

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from backend.places.services import get_community
from backend.volunteering.hours import hours, mask_phone
from backend.volunteering.models import Certificate

FONT = "STSong-Light"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def render(cert: Certificate, origin: str = "") -> bytes:
    community = get_community(cert.community_id)
    font, out = _font(), io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, pageCompression=0, invariant=1)
    page.setTitle(f"志愿服务时长证明 {cert.code}")
    width, height = A4
    page.setFont(font, 26)
    page.drawCentredString(width / 2, height - 120, "志愿服务时长证明")
    issued = cert.issued_at.astimezone(ZoneInfo(community.timezone)).date()
    lines = [
        f"兹证明 {cert.name}（手机号 {mask_phone(cert.phone)}）",
        f"于 {cert.from_date.isoformat()} 至 {cert.to_date.isoformat()} 期间，",
        f"在{community.name}参加志愿服务活动 {cert.activities} 次，",
        f"经审核累计服务时长 {hours(cert.minutes):g} 小时。",
        "",
        "特此证明。",
    ]
    page.setFont(font, 15)
    y = height - 200
    for line in lines:
        page.drawString(80, y, line)
        y -= 30
    page.drawRightString(width - 80, y - 30, community.name)
    page.drawRightString(width - 80, y - 58, f"开具日期：{issued.isoformat()}")
    page.setFont(font, 11)
    page.drawString(80, 150, f"验证码：{cert.code}")
    page.drawString(80, 130, f"在线验证：{origin}/verify/{cert.code}")
    page.drawString(80, 110, "本证明仅统计经社区审核通过的服务时长。")
    page.showPage()
    page.save()
    return out.getvalue()
