"""The one place that answers "which agencies can this user act for and see?".

Every list or detail read of agency-owned objects goes through here (DESIGN §2 "Reads", STYLE §6),
in the spirit of NetBox's ``RestrictedQuerySet.restrict``:

- superusers, and officials with an active ``province_office`` or ``administrator`` membership,
  see every agency;
- other officials see the agencies of their active memberships;
- citizens, businesses and anonymous users see no agency (apps that also show citizens their own
  objects add that themselves, see ``AgencyScopedQuerySet``).

Later apps reuse ``AgencyScopedQuerySet`` (``Dossier.objects.visible_to(user)``). Writes re-check
the scope inside their transaction with ``agency_ids_visible_to(user)`` / ``can_manage_agency``.
See docs/decisions/0004-scoping.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, TypeVar

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from motcua.accounts.models import User

    AnyUser: TypeAlias = User | AnonymousUser
else:
    AnyUser = Any

# Roles whose holders see every agency of the province.
GLOBAL_ROLES: frozenset[str] = frozenset({"province_office", "administrator"})
# Roles allowed to add or deactivate memberships of their own agency.
MANAGER_ROLES: frozenset[str] = frozenset({"head", "leader", "administrator"})
# Roles a non-superuser manager may grant: never a global role (that would widen their own scope).
GRANTABLE_ROLES: frozenset[str] = frozenset({"clerk", "specialist", "head", "leader", "secretary"})


@dataclass(frozen=True)
class AgencyScope:
    """The agencies a user can act for: ``everything`` or exactly ``agency_ids``.

    Supports ``agency_id in scope``; ``bool(scope)`` is False when it allows nothing.
    """

    everything: bool
    agency_ids: frozenset[int]

    def __contains__(self, agency_id: object) -> bool:
        return self.everything or agency_id in self.agency_ids

    def __bool__(self) -> bool:
        return self.everything or bool(self.agency_ids)

    def __iter__(self) -> Iterator[int]:
        if self.everything:
            raise TypeError("An unrestricted scope cannot be enumerated; test .everything first")
        return iter(sorted(self.agency_ids))

    def q(self, field: str = "agency") -> Q:
        """A filter on ``<field>`` (an Agency FK, or ``pk`` on Agency itself)."""
        if self.everything:
            return Q()
        if not self.agency_ids:
            return Q(pk__in=[])
        lookup = "pk__in" if field == "pk" else f"{field}__in"
        return Q(**{lookup: sorted(self.agency_ids)})


NOTHING = AgencyScope(everything=False, agency_ids=frozenset())
EVERYTHING = AgencyScope(everything=True, agency_ids=frozenset())


def _is_official(user: AnyUser) -> bool:
    return bool(
        user.is_authenticated and user.is_active and getattr(user, "kind", "") == "official"
    )


def roles_by_agency(user: AnyUser | None) -> dict[int, frozenset[str]]:
    """The active roles of an official, per agency (one query; empty for everyone else)."""
    if user is None or not user.is_authenticated or not user.is_active or not _is_official(user):
        return {}
    from django.db import connection

    # Plain SQL: this runs on every scoped read and write (bench/lifecycle.py measures it).
    with connection.cursor() as cursor:
        cursor.execute(_ROLES_SQL, [user.pk])
        rows = cursor.fetchall()
    roles: dict[int, set[str]] = {}
    for agency_id, role in rows:
        roles.setdefault(agency_id, set()).add(role)
    return {agency_id: frozenset(r) for agency_id, r in roles.items()}


_ROLES_SQL = (
    "SELECT m.agency_id, m.role FROM accounts_membership m "
    "JOIN units_agency a ON a.id = m.agency_id "
    "WHERE m.user_id = %s AND m.is_active AND a.is_active"
)


def scope_from_roles(user: AnyUser | None, roles: dict[int, frozenset[str]]) -> AgencyScope:
    """The scope implied by ``roles`` (from ``roles_by_agency``), without another query."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    if any(r & GLOBAL_ROLES for r in roles.values()):
        return EVERYTHING
    return AgencyScope(everything=False, agency_ids=frozenset(roles))


def agency_ids_visible_to(user: AnyUser | None) -> AgencyScope:
    """The agencies ``user`` can see and act for (one query for officials, none otherwise)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return EVERYTHING
    return scope_from_roles(user, roles_by_agency(user))


def can_manage_agency(user: AnyUser | None, agency_id: int) -> bool:
    """May ``user`` add or deactivate memberships of this agency?

    Superusers may; otherwise only an active head/leader/administrator *of that agency*.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not _is_official(user):
        return False
    from motcua.accounts.models import Membership

    return Membership.objects.filter(
        user_id=user.pk, agency_id=agency_id, is_active=True, role__in=MANAGER_ROLES
    ).exists()


def grantable_roles(user: AnyUser | None) -> frozenset[str]:
    """Roles ``user`` may grant in an agency they manage."""
    if user is not None and user.is_authenticated and user.is_superuser:
        return GRANTABLE_ROLES | GLOBAL_ROLES
    return GRANTABLE_ROLES


_M = TypeVar("_M", bound=models.Model)


class AgencyScopedQuerySet(models.QuerySet[_M]):
    """QuerySet mixin for models with an Agency FK: ``Model.objects.visible_to(user)``.

    Set ``agency_field`` to the FK's name (or a ``__`` path). Models that must also show a
    citizen their own rows override ``visible_to`` and OR ``self.agency_q(user)`` with their own
    condition, e.g. ``self.filter(self.agency_q(user) | Q(applicant=user))``.
    """

    agency_field: ClassVar[str] = "agency"

    def agency_q(self, user: AnyUser | None) -> Q:
        return agency_ids_visible_to(user).q(self.agency_field)

    def visible_to(self, user: AnyUser | None) -> AgencyScopedQuerySet[_M]:
        return self.filter(self.agency_q(user))
