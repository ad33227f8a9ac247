"""Life events (sự kiện): a small curated map from what happens in a person's life to the
procedures of the demo catalog (``motcua/catalog/demo/catalog.json``) it calls for.

An event names whole fields (every current procedure of the field) and single procedure codes;
codes unknown to the catalog are simply not found, so the map survives catalog changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class LifeEvent:
    slug: str
    name: str | Promise
    description: str | Promise
    fields: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()


LIFE_EVENTS: tuple[LifeEvent, ...] = (
    LifeEvent(
        slug="khai-sinh-khai-tu",
        name=_("Khai sinh, khai tử"),
        description=_("Đăng ký khai sinh cho con, khai tử cho người thân, bản sao giấy khai sinh."),
        codes=(
            "1.001193",
            "1.004884",
            "2.000528",
            "2.000986",
            "1.000689",
            "1.000656",
            "2.000635",
        ),
    ),
    LifeEvent(
        slug="ket-hon-gia-dinh",
        name=_("Kết hôn, gia đình"),
        description=_("Đăng ký kết hôn, xác nhận tình trạng hôn nhân, nhận cha mẹ con, giám hộ."),
        codes=("1.000894", "2.000806", "1.004746", "1.004873", "1.001022", "1.004837", "1.004859"),
    ),
    LifeEvent(
        slug="xay-nha",
        name=_("Xây nhà, sửa nhà"),
        description=_("Giấy phép xây dựng mới, sửa chữa, điều chỉnh, gia hạn; đăng ký đất đai."),
        fields=("hoat-dong-xay-dung",),
        codes=("1.013225", "1.013229", "1.013226", "1.013227", "1.013228", "1.013978"),
    ),
    LifeEvent(
        slug="kinh-doanh",
        name=_("Kinh doanh"),
        description=_("Thành lập hộ kinh doanh, doanh nghiệp, hợp tác xã; an toàn thực phẩm."),
        fields=(
            "thanh-lap-va-hoat-dong-doanh-nghiep-ho-kinh-doanh",
            "thanh-lap-va-hoat-dong-cua-doanh-nghiep",
            "thanh-lap-va-hoat-dong-cua-to-hop-tac-hop-tac-xa-lien-hiep-hop-tac-xa",
        ),
        codes=("1.001612", "2.000720", "2.001610", "2.001583", "2.002043", "1.005280", "2.001827"),
    ),
    LifeEvent(
        slug="cu-tru",
        name=_("Cư trú"),
        description=_("Đăng ký thường trú, tạm trú, gia hạn tạm trú, xóa đăng ký thường trú."),
        fields=("dang-ky-quan-ly-cu-tru",),
        codes=("1.004222", "1.004194", "1.002755", "1.003197", "2.000986"),
    ),
    LifeEvent(
        slug="giay-to-chung-thuc",
        name=_("Chứng thực, lý lịch tư pháp"),
        description=_("Chứng thực bản sao, chữ ký, hợp đồng; cấp Phiếu lý lịch tư pháp."),
        fields=("chung-thuc", "ly-lich-tu-phap"),
    ),
)

_BY_SLUG = {e.slug: e for e in LIFE_EVENTS}

#: The procedures named one by one in a life event: the ones people most often need. Search
#: ranks them before other matches of the same quality (a citizen typing "giay phep xay dung"
#: wants the house permit of their commune, not the provincial permit for grade-I works).
COMMON_CODES: frozenset[str] = frozenset(code for e in LIFE_EVENTS for code in e.codes)


def life_event_get(slug: str) -> LifeEvent | None:
    return _BY_SLUG.get(slug)
