"""``cached_reverse`` answers what ``reverse`` answers, and forgets when the URLconf changes."""

from __future__ import annotations

from django.test import override_settings
from django.urls import reverse, set_script_prefix

from motcua.core.reverse import cached_reverse


def test_it_answers_what_reverse_answers() -> None:
    for name, args in [
        ("portal:track", ()),
        ("portal:procedure", ("1.000001",)),
        ("portal:procedure", ("2.002043",)),
        ("portal:track_token", ("000.00.02.H16-261128-0015:1xX8Ub:ObYX5w8_P3mI5ik",)),
        ("payments:start", ("Mã có dấu cách",)),
    ]:
        assert cached_reverse(name, *args) == reverse(name, args=args)
        assert cached_reverse(name, *args) == reverse(name, args=args)  # kept


def test_it_keeps_answers_per_script_prefix() -> None:
    plain = cached_reverse("portal:track")
    try:
        set_script_prefix("/motcua/")
        assert cached_reverse("portal:track") == "/motcua" + plain == reverse("portal:track")
    finally:
        set_script_prefix("/")
    assert cached_reverse("portal:track") == plain


@override_settings(ROOT_URLCONF="motcua.core.tests.urls_other")
def test_it_forgets_its_answers_when_the_urlconf_changes() -> None:
    assert cached_reverse("portal:track") == "/elsewhere/tra-cuu/" == reverse("portal:track")
