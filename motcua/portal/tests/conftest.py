"""Portal fixtures: a slice of the real demo catalog, and the dossier ``world``."""

from __future__ import annotations

import json
from typing import Any

import pytest

from motcua.catalog.demo import CATALOG_FILE
from motcua.dossiers.tests.conftest import at, clock_at, world

DEMO_CODES = (
    "1.001193",  # Thủ tục đăng ký khai sinh
    "1.000689",  # … khai sinh kết hợp đăng ký nhận cha, mẹ, con
    "1.004884",  # … đăng ký lại khai sinh
    "2.000635",  # Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh (Sở Tư pháp too)
    "1.000656",  # … đăng ký khai tử
    "1.013225",  # Cấp giấy phép xây dựng mới … nhà ở riêng lẻ (commune)
    "1.013236",  # Cấp giấy phép xây dựng mới … cấp đặc biệt, cấp I, cấp II (Sở Xây dựng)
    "1.013226",  # Cấp điều chỉnh giấy phép xây dựng …
    "2.000815",  # Chứng thực bản sao từ bản chính (no online level)
    "1.004222",  # Đăng ký thường trú
    "1.001612",  # Đăng ký thành lập hộ kinh doanh
)
JUSTICE, CONSTRUCTION = "000.00.03.H16", "000.00.04.H16"
COMMUNE = "000.00.31.H16"

__all__ = ["at", "clock_at", "world"]


@pytest.fixture
def demo_slice(db: Any) -> dict[str, Any]:
    """Eleven procedures of ``motcua/catalog/demo/catalog.json`` as they are, with the agencies
    they name and one commune People's Committee."""
    from motcua.catalog.services import catalog_import
    from motcua.units.models import AgencyLevel
    from motcua.units.tests.factories import AgencyFactory, CommuneFactory

    justice = AgencyFactory(code=JUSTICE, name="Sở Tư pháp", address="10 Lê Duẩn, Buôn Ma Thuột")
    construction = AgencyFactory(code=CONSTRUCTION, name="Sở Xây dựng")
    commune = AgencyFactory(
        code=COMMUNE,
        name="Ủy ban nhân dân phường Buôn Ma Thuột",
        level=AgencyLevel.COMMUNE,
        unit=CommuneFactory(name="Phường Buôn Ma Thuột"),
    )
    data = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
    procedures = [p for p in data["procedures"] if p["code"] in DEMO_CODES]
    used = {p["field"] for p in procedures}
    catalog = {
        "format": data["format"],
        "fields": [f for f in data["fields"] if f["code"] in used],
        "procedures": procedures,
    }
    catalog_import(text=json.dumps(catalog, ensure_ascii=False))
    return {"justice": justice, "construction": construction, "commune": commune}
