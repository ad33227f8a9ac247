"""Demo accounts (called by ``manage.py load_demo`` after units, workdays and catalog); idempotent.

Every demo account uses the password ``DEMO_PASSWORD`` (documented in the README). Names are
invented but realistic; the citizen ID and tax code are structurally valid demo values (valid
province code and check digit), not real people's numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.management.base import OutputWrapper
from django.db import transaction

from motcua.accounts.models import Membership, Role, User, UserKind
from motcua.units.models import Agency

DEMO_PASSWORD = "motcua2026"  # noqa: S105 (documented demo password)


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    description: str
    kind: str = UserKind.OFFICIAL
    agency: str | None = None
    role: str | None = None
    superuser: bool = False
    id_number: str | None = None
    tax_code: str | None = None


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("admin", "Quản trị hệ thống", "quản trị (superuser, /admin/)", superuser=True),
    DemoUser(
        "vanphong",
        "Phạm Thị Thu Hà",
        "Văn phòng UBND tỉnh (xem mọi cơ quan)",
        agency="000.00.01.H16",
        role=Role.PROVINCE_OFFICE,
    ),
    DemoUser(
        "motcua.tt",
        "Nguyễn Thị Mai Anh",
        "cán bộ một cửa, Trung tâm Phục vụ hành chính công tỉnh",
        agency="000.00.02.H16",
        role=Role.CLERK,
    ),
    DemoUser(
        "tuphap.cv",
        "Trần Quốc Bảo",
        "chuyên viên, Sở Tư pháp",
        agency="000.00.03.H16",
        role=Role.SPECIALIST,
    ),
    DemoUser(
        "tuphap.ld",
        "Lê Văn Thành",
        "lãnh đạo, Sở Tư pháp (quản lý cán bộ của Sở)",
        agency="000.00.03.H16",
        role=Role.LEADER,
    ),
    DemoUser(
        "xaydung.cv",
        "Hoàng Minh Đức",
        "chuyên viên, Sở Xây dựng",
        agency="000.00.04.H16",
        role=Role.SPECIALIST,
    ),
    DemoUser(
        "xaydung.ld",
        "Đặng Quốc Việt",
        "lãnh đạo, Sở Xây dựng",
        agency="000.00.04.H16",
        role=Role.LEADER,
    ),
    DemoUser(
        "xa.cb",
        "Võ Thị Kim Liên",
        "cán bộ một cửa, UBND phường Buôn Ma Thuột",
        agency="000.00.31.H16",
        role=Role.CLERK,
    ),
    DemoUser(
        "xa.cv",
        "Y Khu Niê",
        "công chức tư pháp - hộ tịch, UBND phường Buôn Ma Thuột",
        agency="000.00.31.H16",
        role=Role.SPECIALIST,
    ),
    DemoUser(
        "xa.ld",
        "H'Hoa Byă",
        "lãnh đạo UBND phường Buôn Ma Thuột",
        agency="000.00.31.H16",
        role=Role.LEADER,
    ),
    DemoUser(
        "066090004321",
        "Nguyễn Văn Hùng",
        "công dân (đăng nhập bằng số định danh cá nhân)",
        kind=UserKind.CITIZEN,
        id_number="066090004321",
    ),
    DemoUser(
        "6001234562",
        "Công ty TNHH Cà phê Ea Tam",
        "doanh nghiệp (đăng nhập bằng mã số thuế)",
        kind=UserKind.BUSINESS,
        tax_code="6001234562",
    ),
)


@transaction.atomic
def load(*, out: OutputWrapper) -> list[tuple[str, str, str]]:
    """Create or refresh the demo users; return (username, password, description) rows."""
    rows: list[tuple[str, str, str]] = []
    agencies = {a.code: a for a in Agency.objects.filter(code__in={d.agency for d in DEMO_USERS})}
    for demo in DEMO_USERS:
        user = User.objects.filter(username=demo.username).first() or User(username=demo.username)
        user.full_name = demo.full_name
        user.kind = demo.kind
        user.id_number = demo.id_number
        user.tax_code = demo.tax_code
        user.is_active = True
        user.is_superuser = demo.superuser
        user.is_staff = demo.superuser
        if not user.has_usable_password() or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        if demo.agency and demo.role:
            Membership.objects.update_or_create(
                user=user,
                agency=agencies[demo.agency],
                role=demo.role,
                defaults={"is_active": True},
            )
        rows.append((demo.username, DEMO_PASSWORD, demo.description))
    out.write(f"accounts: {len(rows)} demo users (password {DEMO_PASSWORD})")
    return rows
