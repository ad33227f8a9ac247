"""Demo dossiers (called by `manage.py load_demo` after the accounts): a back office with work in
its queues. Created through the real services, so every one has its history, audit entries and
clock ledger; loaded once (nothing happens when dossiers exist already)."""

from __future__ import annotations

from django.core.management.base import OutputWrapper

from motcua.accounts.models import User
from motcua.catalog.models import Procedure
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    ActionIn,
    ApplicantIn,
    ComponentIn,
    dossier_act,
    dossier_receive,
    dossier_submit_online,
)

# Real-looking applicants: names of the province's peoples, valid demo citizen IDs (Đắk Lắk: 066).
APPLICANTS = [
    ("Nguyễn Thị Ánh Tuyết", "066190004321", "0905123456", "12 Lê Duẩn, phường Buôn Ma Thuột"),
    ("Trần Văn Khánh", "066085001234", "0913456789", "45 Phan Bội Châu, phường Buôn Ma Thuột"),
    ("Y Bhim Êban", "066092007788", "0935111222", "Buôn Ako Dhông, phường Tân Lập"),
    ("H'Linh Niê", "066195003344", "0987654321", "Buôn Kô Tam, xã Hòa Phú"),
    ("Lê Thị Hồng Nhung", "066188009911", "0968222333", "78 Nguyễn Tất Thành, phường Tân An"),
    ("Phạm Minh Quân", "066079004455", "0903777888", "23 Y Jút, phường Buôn Ma Thuột"),
    ("Đỗ Thị Thu Trang", "066193006677", "0912333444", "Thôn 3, xã Ea Kao"),
    ("Vũ Đức Thắng", "066081002233", "0944555666", "156 Hùng Vương, phường Tuy Hòa"),
    ("Ksor H'Nga", "066198005566", "0977888999", "Buôn Ea Bông, xã Krông Ana"),
    ("Bùi Quang Huy", "066087008899", "0938999000", "9 Trần Phú, phường Buôn Ma Thuột"),
]


def _components(code: str) -> list[ComponentIn]:
    version = Procedure.objects.get(code=code).current_version
    assert version is not None  # noqa: S101 (the demo catalog is loaded first)
    return [ComponentIn(component_id=c.pk) for c in version.components.filter(required=True)]


def load(*, out: OutputWrapper) -> None:
    if Dossier.objects.exists():
        out.write("dossiers: demo dossiers already present (left alone)")
        return
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "motcua.tt",
                "tuphap.cv",
                "tuphap.ld",
                "xaydung.cv",
                "xaydung.ld",
                "xa.cb",
                "xa.cv",
                "xa.ld",
                "066090004321",
            ]
        )
    }
    clerk, commune_clerk = users["motcua.tt"], users["xa.cb"]
    made: list[Dossier] = []

    def receive(by: User, code: str, n: int, agency: str) -> Dossier:
        name, cccd, phone, address = APPLICANTS[n % len(APPLICANTS)]
        d = dossier_receive(
            actor=by,
            procedure_code=code,
            case=None,
            channel="direct",
            applicant=ApplicantIn(
                name=name,
                id_number=cccd,
                phone=phone,
                address=address,
                email=f"congdan{n}@example.vn",
            ),
            components=_components(code),
            agency_code=agency,
        )
        made.append(d)
        return d

    def act(user: str, d: Dossier, action: str, **params: object) -> Dossier:
        return dossier_act(actor=users[user], code=d.code, action=action, params=ActionIn(**params))  # type: ignore[arg-type]

    # Boundary-free: the provincial centre receives for the Department of Justice …
    for n in range(6):
        d = receive(clerk, "2.000635", n, "000.00.03.H16")
        if n >= 1:
            d = act("motcua.tt", d, "forward")
        if n == 2:
            act(
                "tuphap.cv",
                d,
                "request_supplement",
                reason="Thiếu bản sao giấy tờ tùy thân",
                components=["Bản sao căn cước công dân"],
            )
        if n in (3, 4):
            d = act("tuphap.ld", d, "settle", result="Đã cấp bản sao trích lục hộ tịch")
        if n == 4:
            act("motcua.tt", d, "return", method="counter")
    # … and for the Department of Construction.
    for n in range(6, 9):
        d = receive(clerk, "1.013236", n, "000.00.04.H16")
        d = act("motcua.tt", d, "forward")
        if n == 7:
            act(
                "xaydung.cv",
                d,
                "request_payment",
                amount_vnd=150000,
                reason="Nộp lệ phí cấp giấy phép xây dựng",
            )
    # A commune's own desk: birth registrations.
    for n in range(5):
        d = receive(commune_clerk, "1.001193", n + 3, "000.00.31.H16")
        if n >= 2:
            d = act("xa.cb", d, "forward")
        if n == 4:
            d = act("xa.ld", d, "settle", result="Đã cấp Giấy khai sinh")
    # An online submission waiting for the desk to accept it.
    online = dossier_submit_online(
        actor=users["066090004321"],
        procedure_code="2.000635",
        case=None,
        agency_code="000.00.03.H16",
        applicant=ApplicantIn(
            name="Nguyễn Văn Hùng",
            id_number="066090004321",
            phone="0905000111",
            email="hung@example.vn",
        ),
    )
    made.append(online)
    out.write(f"dossiers: {len(made)} demo dossiers in the queues")
