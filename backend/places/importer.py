"""CSV import of dwellings: every bad row is reported by line, and nothing lands unless all are good."""
import csv
import io
import re
from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from backend.accounts.services import confirm_owner_claims
from backend.common.fields import is_clean_text, normalize_phone
from backend.errors import Invalid
from backend.extensions import db
from backend.places.models import Building, Dwelling, DwellingOwner, Grid, dwelling_label

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20000
HEADERS = {  # accepted column names, English or as staff write them in Chinese
    "grid": "grid", "网格": "grid", "building": "building", "楼栋": "building", "楼号": "building",
    "unit": "unit", "单元": "unit", "room": "room", "房号": "room", "门牌": "room",
    "floor_area": "floor_area", "面积": "floor_area", "建筑面积": "floor_area",
    "owner_phone": "owner_phone", "业主手机": "owner_phone", "业主电话": "owner_phone",
}
REQUIRED = ("building", "room", "floor_area")
COLUMNS = ("grid", "building", "unit", "room", "floor_area", "owner_phone")


def _decode(raw: bytes) -> str:
    # Excel on Chinese Windows saves CSV as GB18030; everything else sends UTF-8.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise Invalid("The file is neither UTF-8 nor GB18030 text.", "csv_invalid", {"file": ["Unreadable text."]})


def _parse(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    reader = csv.reader(io.StringIO(text))
    try:
        return next(reader, []), [(reader.line_num, values) for values in reader]
    except csv.Error as err:
        # A cell past the csv module's 128 KB limit (or a NUL, before Python 3.11): say on which line.
        raise Invalid("A line is not readable as CSV.", "csv_invalid",
                      {str(reader.line_num): ["Not readable as CSV."]}) from err


def _read_rows(raw: bytes) -> list[tuple[int, dict]]:
    if len(raw) > MAX_BYTES:
        raise Invalid("The file is larger than 2 MB.", "csv_invalid", {"file": ["Larger than 2 MB."]})
    first, lines = _parse(_decode(raw))
    header = [HEADERS.get(h.strip().lower(), h.strip()) for h in first]
    if missing := [c for c in REQUIRED if c not in header]:
        raise Invalid("The header row lacks columns.", "csv_invalid", {"1": [f"Missing column: {c}" for c in missing]})
    rows = [(line, dict(zip(header, (v.strip() for v in values))))
            for line, values in lines if any(v.strip() for v in values)]
    if not rows or len(rows) > MAX_ROWS:
        raise Invalid(f"The file must have 1 to {MAX_ROWS} rows.", "csv_invalid", {"file": ["No rows or too many."]})
    return rows


def _check_row(row: dict) -> tuple[list[str], Decimal | None, list[str]]:
    errors = [f"{c}: required" for c in ("building", "room") if not row.get(c)]
    errors += [f"{c}: characters not allowed" for c in COLUMNS if not is_clean_text(row.get(c) or "")]
    errors += [f"{c}: too long" for c in ("grid", "building") if len(row.get(c) or "") > 100]
    errors += [f"{c}: too long" for c in ("unit", "room") if len(row.get(c) or "") > 20]
    try:
        area = Decimal(row.get("floor_area") or "x").quantize(Decimal("0.01"))
        if not Decimal("1") <= area <= Decimal("10000"):
            raise InvalidOperation
    except InvalidOperation:
        area = None
        errors.append("floor_area: must be a number of square metres between 1 and 10000")
    phones = [p for p in re.split(r"[/;；，,、\s]+", row.get("owner_phone") or "") if p]
    normalized = [normalize_phone(p) for p in phones]
    errors += [f"owner_phone: {p} is not a mobile number" for p, n in zip(phones, normalized) if n is None]
    return errors, area, [n for n in normalized if n]


def validate_rows(raw: bytes) -> list[dict]:
    seen: dict[tuple, int] = {}
    errors: dict[str, list[str]] = {}
    good = []
    for line, row in _read_rows(raw):
        row_errors, area, phones = _check_row(row)
        key = (row.get("building"), row.get("unit", ""), row.get("room"))
        if key in seen:
            row_errors.append(f"duplicate of line {seen[key]}")
        seen.setdefault(key, line)
        if row_errors:
            errors[str(line)] = row_errors
        good.append({**row, "unit": row.get("unit", ""), "grid": row.get("grid", ""),
                     "floor_area": area, "phones": phones})
    if errors:
        raise Invalid(f"{len(errors)} rows have errors; nothing was imported.", "csv_invalid", errors)
    return good


class _Import:
    def __init__(self, community_id: int):
        self.cid = community_id
        self.counts = dict(created=0, updated=0, buildings_created=0, grids_created=0, owners_linked=0)
        by_cid = {"community_id": community_id}
        self.grids = {g.name: g for g in db.session.scalars(select(Grid).filter_by(**by_cid))}
        self.buildings = {b.name: b for b in db.session.scalars(select(Building).filter_by(**by_cid))}
        self.dwellings = {(d.building.name, d.unit, d.room): d
                          for d in db.session.scalars(select(Dwelling).filter_by(**by_cid))}

    def grid(self, name: str) -> Grid | None:
        if name and name not in self.grids:
            self.grids[name] = Grid(community_id=self.cid, name=name)
            db.session.add(self.grids[name])
            self.counts["grids_created"] += 1
        return self.grids.get(name)

    def building(self, name: str, grid_name: str) -> Building:
        if name not in self.buildings:
            self.buildings[name] = Building(community_id=self.cid, name=name)
            db.session.add(self.buildings[name])
            self.counts["buildings_created"] += 1
        building = self.buildings[name]
        if grid_name:
            building.grid = self.grid(grid_name)
        return building

    def dwelling(self, row: dict) -> Dwelling:
        key = (row["building"], row["unit"], row["room"])
        dwelling = self.dwellings.get(key)
        self.counts["updated" if dwelling else "created"] += 1
        if dwelling is None:
            dwelling = self.dwellings[key] = Dwelling(community_id=self.cid, unit=row["unit"], room=row["room"])
            db.session.add(dwelling)
        dwelling.building = self.building(row["building"], row["grid"])
        dwelling.label = dwelling_label(row["building"], row["unit"], row["room"])
        dwelling.floor_area = row["floor_area"]
        return dwelling

    def owners(self, dwelling: Dwelling, phones: list[str]) -> None:
        known = {o.phone for o in dwelling.owners}
        for phone in phones:
            if phone not in known:
                dwelling.owners.append(DwellingOwner(community_id=self.cid, phone=phone))
                known.add(phone)
                self.counts["owners_linked"] += 1


def import_dwellings(community_id: int, raw: bytes) -> dict:
    rows = validate_rows(raw)
    job = _Import(community_id)
    for row in rows:
        job.owners(job.dwelling(row), row["phones"])
    db.session.flush()
    job.counts["claims_confirmed"] = confirm_owner_claims(community_id)
    db.session.commit()
    return job.counts
