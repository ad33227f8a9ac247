"""Convert the reference catalog slice into the demo catalog (``motcua/catalog/demo/catalog.json``).

Run from the repository root, where ``../shared`` exists (it is not part of the repository)::

    .venv/bin/python -m motcua.catalog.tools.convert_reference
    .venv/bin/python -m motcua.catalog.tools.convert_reference --source PATH --output PATH

The input is ``../shared/reference/data/catalog_slice.json``: 45 procedures crawled from the
national portal (provenance in ``../shared/reference/data/PROVENANCE.md`` §5). The output is in
the import format of ``docs/catalog-format.md`` and is committed; the demo never reads the input.

What the conversion decides (every decision is also written into the procedure's notes):
- names, codes, fields, applicants, publication decision numbers: copied verbatim;
- the two partial records (code and name only, no field or time limit) are left out;
- levels: "ministry" and "other" are dropped (this is a province's catalog);
- time limit: the "Trực tiếp" channel. "Ngày làm việc" → working_days, "Ngày" → calendar_days,
  a bare number → working_days with a note; no time limit in the source → a reasoned value from
  ``NO_LIMIT_IN_SOURCE`` with its legal basis in the note; a shorter online limit is kept;
- fees: zero fees are dropped (free), identical channels are merged, fees in USD (charged by
  missions abroad) are dropped with a note, source anomalies are kept as they are and noted;
- components: leading "- " bullets and glued form file names are split off; rows the source marks
  as "present only" may be reused from the citizen data store; required, non-present-only rows
  must be digitized (demo heuristics: the source has neither flag);
- online level and result kind (not in the source): no online channel → none/paper; an online
  channel but a document to present in person → partial; otherwise full with both result kinds;
- supplement mode: restart for construction permits (the Construction Law counts the time from a
  complete dossier), pause otherwise;
- implementing agencies: demo agency codes by field and level (``PROVINCE_AGENCY``), and every
  commune People's Committee for commune-level procedures;
- process steps: the province's standard split (``STEPS``).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

from motcua.core.text import fold

REPO = Path(__file__).resolve().parents[3]
DEFAULT_SOURCE = REPO.parent / "shared" / "reference" / "data" / "catalog_slice.json"
DEFAULT_OUTPUT = REPO / "motcua" / "catalog" / "demo" / "catalog.json"

# Demo agency codes (created by motcua.units.demo).
SO_TU_PHAP = "000.00.03.H16"
SO_XAY_DUNG = "000.00.04.H16"
SO_NN_MT = "000.00.05.H16"
SO_TAI_CHINH = "000.00.06.H16"
CONG_AN_TINH = "000.00.13.H16"

PROVINCE_AGENCY = {
    "Hộ tịch": SO_TU_PHAP,
    "Chứng thực": SO_TU_PHAP,
    # The source's competent authority is "Công an tỉnh" (decision 1025/QĐ-BCA): judicial
    # records moved from the Department of Justice to the provincial police.
    "Lý lịch tư pháp": CONG_AN_TINH,
    "Hoạt động xây dựng": SO_XAY_DUNG,
    "Đất đai": SO_NN_MT,
    "Quản lý chất lượng nông lâm sản và thủy sản": SO_NN_MT,
    "Thành lập và hoạt động của doanh nghiệp": SO_TAI_CHINH,
    "Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)": SO_TAI_CHINH,
    "Thành lập và hoạt động của tổ hợp tác, hợp tác xã, liên hiệp hợp tác xã": SO_TAI_CHINH,
    "Đăng ký, quản lý cư trú": CONG_AN_TINH,
}

STEPS = [
    {"name": "Tiếp nhận hồ sơ tại Bộ phận Một cửa", "role": "clerk", "time_share": 5},
    {"name": "Chuyên viên thẩm định hồ sơ", "role": "specialist", "time_share": 60},
    {"name": "Lãnh đạo phòng xem xét, trình ký", "role": "head", "time_share": 20},
    {"name": "Lãnh đạo cơ quan phê duyệt, ký kết quả", "role": "leader", "time_share": 10},
    {"name": "Trả kết quả tại Bộ phận Một cửa", "role": "clerk", "time_share": 5},
]

# Procedures whose source gives no time limit: (amount, unit, why). Values from the decrees
# that govern them; checked against the decrees' usual wording, not against the source.
NO_LIMIT_IN_SOURCE: dict[str, tuple[int, str, str]] = {
    "2.000815": (
        1,
        "working_days",
        "Nguồn không ghi thời hạn. Chọn 1 ngày làm việc: Nghị định 23/2015/NĐ-CP Điều 7 quy "
        "định chứng thực bản sao trong ngày tiếp nhận (hoặc ngày làm việc tiếp theo nếu tiếp "
        "nhận sau 15 giờ).",
    ),
    "2.000884": (
        1,
        "working_days",
        "Nguồn không ghi thời hạn. Chọn 1 ngày làm việc: Nghị định 23/2015/NĐ-CP Điều 7 quy "
        "định chứng thực chữ ký trong ngày tiếp nhận (hoặc ngày làm việc tiếp theo nếu tiếp "
        "nhận sau 15 giờ).",
    ),
    "2.001035": (
        2,
        "working_days",
        "Nguồn không ghi thời hạn. Chọn 2 ngày làm việc: Nghị định 23/2015/NĐ-CP Điều 7 quy "
        "định chứng thực hợp đồng, giao dịch không quá 02 ngày làm việc.",
    ),
    "2.001019": (
        2,
        "working_days",
        "Nguồn không ghi thời hạn. Chọn 2 ngày làm việc như chứng thực hợp đồng, giao dịch "
        "(Nghị định 23/2015/NĐ-CP Điều 7).",
    ),
    "2.000942": (
        1,
        "working_days",
        "Nguồn không ghi thời hạn. Chọn 1 ngày làm việc như cấp bản sao có chứng thực từ bản "
        "chính (Nghị định 23/2015/NĐ-CP Điều 7).",
    ),
    "2.000635": (
        1,
        "working_days",
        "Nguồn không ghi thời hạn. Chọn 1 ngày làm việc: bản sao trích lục hộ tịch được cấp "
        "ngay trong ngày tiếp nhận yêu cầu (hoặc ngày làm việc tiếp theo nếu tiếp nhận sau "
        "15 giờ).",
    ),
    "1.001612": (
        3,
        "working_days",
        "Nguồn không ghi thời hạn. Chọn 3 ngày làm việc như các thủ tục đăng ký hộ kinh doanh "
        "khác trong danh mục.",
    ),
}

BARE_NUMBER_NOTE = (
    "Nguồn chỉ ghi “{raw}”, không ghi đơn vị; hệ thống tính là {amount} ngày làm việc "
    "(thời hạn giải quyết thủ tục hộ tịch, đăng ký kinh doanh được tính theo ngày làm việc)."
)
CALENDAR_DAYS_NOTE = (
    "Nguồn ghi “{raw}” (ngày, không phải ngày làm việc): tính theo ngày dương lịch."
)
CONSTRUCTION_FIELD = "Hoạt động xây dựng"

_LIMIT_RE = re.compile(r"^\s*(\d+)\s*(Ngày làm việc|Ngày|Giờ làm việc|Giờ)?\s*$")
_UNITS = {
    None: "working_days",
    "Ngày làm việc": "working_days",
    "Ngày": "calendar_days",
    "Giờ làm việc": "working_hours",
    "Giờ": "working_hours",
}
_RESULT_RE = re.compile(r"^(?P<name>.*?)\s*\[(?P<code>KQ\.[A-Z0-9.]+)\]\s*$", re.S)
_FORM_FILE_RES = [
    re.compile(r"(?<=[.;])(?P<file>\d+\.Mu\w+(?: \(\d+\))?\.docx?)$"),
    re.compile(r"(?<=[A-Z])(?P<file>Phụ lục [IVX]+ [^.]+\.docx?)$"),
]
CHANNEL = {"Trực tuyến": "online", "Dịch vụ bưu chính": "postal", "Trực tiếp": "direct"}


def field_code(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def split_list(text: str | None) -> list[str]:
    """Split "A, B (x, y), C" on commas outside parentheses."""
    if not text:
        return []
    out, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    out.append(cur.strip())
    return [s for s in out if s]


def parse_limit(raw: str | None) -> tuple[int, str, str | None] | None:
    """(amount, unit, source unit label) for a channel cell, or None when it has no limit."""
    if not raw:
        return None
    m = _LIMIT_RE.match(raw)
    if not m:
        return None
    return int(m.group(1)), _UNITS[m.group(2)], m.group(2)


def convert_case(rec: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    channels: dict[str, str] = rec.get("time_limit_by_channel") or {}
    direct_raw = channels.get("Trực tiếp") or (rec.get("time_limit") or {}).get("raw")
    direct = parse_limit(direct_raw)
    case: dict[str, Any] = {"name": "Trường hợp chung"}
    case_notes: list[str] = []
    if direct is None:
        amount, unit, why = NO_LIMIT_IN_SOURCE[rec["code"]]
        case["time_limit"] = {"amount": amount, "unit": unit}
        case_notes.append(why)
    else:
        amount, unit, label = direct
        case["time_limit"] = {"amount": amount, "unit": unit}
        if label is None:
            case_notes.append(BARE_NUMBER_NOTE.format(raw=direct_raw, amount=amount))
        elif label == "Ngày":
            case_notes.append(CALENDAR_DAYS_NOTE.format(raw=direct_raw))
    online = parse_limit(channels.get("Trực tuyến"))
    if online is not None and direct is not None and online[1] == direct[1]:
        if online[0] < direct[0]:
            case["online_time_limit"] = {"amount": online[0], "unit": online[1]}
        elif online[0] > direct[0]:
            notes.append(
                f"Nguồn ghi thời hạn nộp trực tuyến ({channels['Trực tuyến']}) dài hơn nộp trực "
                f"tiếp ({direct_raw}); áp dụng thời hạn nộp trực tiếp cho mọi hình thức."
            )
    case["note"] = " ".join(case_notes)
    return case


def convert_fees(rec: dict[str, Any], notes: list[str]) -> list[dict[str, Any]]:
    usable = []
    for fee in rec.get("fees") or []:
        if fee.get("amount") is None:
            notes.append(f"Phí, lệ phí ({fee.get('channel')}): nguồn ghi “{fee.get('raw')}”.")
            continue
        if fee.get("currency") != "VND":
            notes.append(
                f"Bỏ mức thu {fee['raw']} {fee.get('per', '')} (thu tại cơ quan đại diện ở nước "
                "ngoài, không áp dụng tại tỉnh)."
            )
            continue
        if fee["amount"] == 0:
            continue
        usable.append(fee)
    if not usable and (rec.get("fees") or []):
        notes.append("Miễn phí, lệ phí (theo nguồn).")
    free_descriptions = {
        f.get("description", "") for f in rec.get("fees") or [] if f.get("amount") == 0
    }
    for desc in sorted(_unwrap(d) for d in free_descriptions if _unwrap(d)):
        notes.append(f"Về phí, lệ phí, nguồn ghi: {desc}")

    channels_present = {f["channel"] for f in rec.get("fees") or [] if f.get("currency") == "VND"}
    distinct = {(f["amount"], f.get("per", ""), f.get("description", "")) for f in usable}
    same_everywhere = len(distinct) == 1 and {f["channel"] for f in usable} == channels_present
    out: list[dict[str, Any]] = []
    for fee in usable:
        channel = "any" if same_everywhere else CHANNEL[fee["channel"]]
        item = {
            "name": _fee_name(fee),
            "amount_vnd": fee["amount"],
            "payer_kind": "any",
            "channel": channel,
            "per": (fee.get("per") or "").lstrip("/"),
            "note": _fee_note(fee),
        }
        if item not in out:
            out.append(item)
    return out


def _unwrap(description: str | None) -> str:
    """Drop the "(/unit)" prefix and the one pair of parentheses the crawler put around it."""
    desc = re.sub(r"^\(/[^)]*\)", "", (description or "").strip()).strip()
    if desc.startswith("(") and desc.endswith(")"):
        desc = desc[1:-1].strip()
    return desc


def _fee_name(fee: dict[str, Any]) -> str:
    desc = re.sub(r"^[-\s]+", "", _unwrap(fee.get("description")))
    m = re.match(r"^((?:Phí|Lệ phí) [^:(.]{3,160}?):", desc)
    return m.group(1).strip() if m else "Phí, lệ phí"


def _fee_note(fee: dict[str, Any]) -> str:
    parts = []
    desc = _unwrap(fee.get("description"))
    if desc:
        parts.append(desc)
    if fee.get("source_anomaly"):
        parts.append(
            f"Bất thường trong nguồn (giữ nguyên, chưa sửa): {fee['source_anomaly']} "
            f"(nguồn ghi “{fee['raw']}”)."
        )
    return " ".join(parts)


def convert_component(item: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    name = re.sub(r"^[-+]\s*", "", item["name"].strip())
    originals = int(item["original_copies"])
    if originals >= 1000 and name.endswith("năm"):
        # The crawler glued the year ending the text onto the count: "… năm" + "2024" + "0".
        digits = str(originals)
        name, originals = f"{name} {digits[:4]}", int(digits[4:] or 0)
        notes.append(
            f"Sửa lỗi tách cột trong nguồn: “…{name[-30:]}” có số bản chính {digits}, "
            f"tách thành năm {digits[:4]} và {originals} bản chính."
        )
    form_template = ""
    if item.get("form_template_attached"):
        for pattern in _FORM_FILE_RES:
            m = pattern.search(name)
            if m:
                form_template = m.group("file")
                name = name[: m.start()].rstrip()
                break
    present_only = bool(item.get("present_only"))
    condition = item.get("condition") or ""
    if condition == "stated in item text":
        condition = ""
    return {
        "name": name,
        "required": bool(item["required"]),
        "originals": originals,
        "copies": int(item["copies"]),
        "form_template": form_template,
        "must_digitize": bool(item["required"]) and not present_only,
        "may_reuse": present_only,
        "present_only": present_only,
        "condition": condition,
    }


def convert_results(rec: dict[str, Any]) -> list[dict[str, str]]:
    out = []
    for text in rec.get("results") or []:
        m = _RESULT_RE.match(text)
        if m:
            out.append({"code": m.group("code"), "name": m.group("name").strip()})
        else:
            out.append({"code": "", "name": text.strip()})
    return out


def convert_agencies(rec: dict[str, Any], levels: list[str]) -> dict[str, Any]:
    agencies: dict[str, Any] = {}
    if "commune" in levels:
        agencies["level"] = "commune"
    if "province" in levels:
        agencies["codes"] = [PROVINCE_AGENCY[rec["field"]]]
    return agencies


def convert(records: list[dict[str, Any]]) -> dict[str, Any]:
    fields: dict[str, str] = {}
    procedures = []
    for rec in records:
        if rec.get("partial"):
            continue
        notes: list[str] = []
        levels = [lv for lv in rec["level"] if lv in ("province", "commune")]
        dropped = [rec["level_vi"]] if len(levels) != len(rec["level"]) else []
        if dropped:
            notes.append(
                f"Cấp thực hiện theo nguồn: {rec['level_vi']}; danh mục tỉnh giữ cấp tỉnh/xã."
            )
        fields[field_code(rec["field"])] = rec["field"]
        case = convert_case(rec, notes)
        fees = convert_fees(rec, notes)
        components = [convert_component(c, notes) for c in rec["components"]]
        channels = rec.get("time_limit_by_channel") or {}
        has_online = "Trực tuyến" in channels
        if not has_online:
            online_level, result_kind = "none", "paper"
        elif any(c["present_only"] for c in components):
            online_level, result_kind = "partial", "both"
        else:
            online_level, result_kind = "full", "both"
        notes.append(
            "Mức độ trực tuyến, hình thức kết quả, số hóa và tái sử dụng giấy tờ là giá trị demo "
            "suy ra từ nguồn (nguồn không ghi các thông tin này)."
        )
        notes += [n.strip() for n in rec.get("component_notes") or [] if n.strip()]
        if rec.get("competent_authority") == "Công an cấp Xã":
            notes.append(
                "Nguồn ghi cơ quan thực hiện là Công an cấp xã; danh mục demo chưa có cơ quan này "
                "nên giao cho Ủy ban nhân dân cấp xã (nơi đặt Bộ phận Một cửa)."
            )
        construction = rec["field"] == CONSTRUCTION_FIELD
        if construction:
            notes.append(
                "Khi bổ sung hồ sơ, thời hạn được tính lại từ khi nhận đủ hồ sơ hợp lệ "
                "(Luật Xây dựng)."
            )
        source = rec.get("source") or {}
        procedures.append(
            {
                "code": rec["code"],
                "name": rec["name"],
                "field": field_code(rec["field"]),
                "levels": levels,
                "procedure_type": rec.get("procedure_type") or "",
                "legal_basis": [],
                "applicants": split_list(rec.get("applicants")),
                "competent_authority": rec.get("competent_authority") or "",
                "implementing_agencies": convert_agencies(rec, levels),
                "online_level": online_level,
                "result_kind": result_kind,
                "written_result_required": True,
                "supplement_mode": "restart" if construction else "pause",
                "publication": {"decision_number": rec["publishing_decision"], "date": None},
                "valid_from": None,
                "cases": [case],
                "components": components,
                "fees": fees,
                "process_steps": STEPS,
                "results": convert_results(rec),
                "notes": notes,
                "source": {
                    "url": source.get("portal_url", ""),
                    "reference": "{}@{}:{}".format(
                        source.get("repo", ""), source.get("commit", ""), source.get("path", "")
                    ),
                },
            }
        )
    return {
        "format": "motcua.catalog/1",
        "description": (
            "Demo catalog: 43 real procedures of the national catalog (dichvucong.gov.vn, crawl "
            "by chatbot-tthc/chatbot_tthc), converted by motcua/catalog/tools/"
            "convert_reference.py; agency codes are demo values."
        ),
        "fields": [{"code": c, "name": n} for c, n in sorted(fields.items())],
        "procedures": procedures,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    if not args.source.exists():
        print(f"{args.source} not found: this tool runs only next to ../shared", file=sys.stderr)
        return 2
    catalog = convert(json.loads(args.source.read_text(encoding="utf-8")))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(catalog, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(f"wrote {len(catalog['procedures'])} procedures to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
