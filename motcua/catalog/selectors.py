"""Reads of the catalog. The catalog is public: no user scoping applies."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from motcua.catalog import format as fmt
from motcua.catalog.models import (
    Component,
    Fee,
    Field,
    Procedure,
    ProcedureCase,
    ProcedureVersion,
    ProcessStep,
)
from motcua.core.errors import InvalidInput, NotFound
from motcua.core.text import fold
from motcua.units.models import Agency

MAX_QUERY_WORDS = 12


@dataclass(frozen=True)
class ProcedurePage:
    total: int
    items: list[Procedure]


def procedure_search(*, q: str = "", field: str = "", level: str = "") -> QuerySet[Procedure]:
    """Current procedures matching every word of ``q`` (diacritics and case ignored), best first.

    Rank: exact name or code, then name or code prefix, then the phrase inside the name, then the
    rest; ties by code.
    """
    qs = Procedure.objects.filter(current_version__isnull=False)
    if field:
        if not Field.objects.filter(code=field).exists():
            raise InvalidInput(
                _("Không có lĩnh vực mã “%(code)s”.") % {"code": field}, field="field"
            )
        qs = qs.filter(current_version__field__code=field)
    if level:
        qs = qs.filter(current_version__levels_key__contains=f"|{level}|")
    phrase = fold(q)
    words = phrase.split()[:MAX_QUERY_WORDS]
    for word in words:
        qs = qs.filter(current_version__search_text__contains=word)
    if phrase:
        code = q.strip()
        rank = Case(
            When(Q(code=code) | Q(current_version__name_folded=phrase), then=Value(0)),
            When(
                Q(code__startswith=code) | Q(current_version__name_folded__startswith=phrase),
                then=Value(1),
            ),
            When(current_version__name_folded__contains=phrase, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )
        return qs.annotate(rank=rank).order_by("rank", "code")
    return qs.order_by("code")


def procedure_page(
    *, q: str = "", field: str = "", level: str = "", limit: int = 20, offset: int = 0
) -> ProcedurePage:
    """One page of search results with the total; a constant number of queries per page."""
    qs = procedure_search(q=q, field=field, level=level)
    total = qs.count()
    items = list(
        qs.select_related("current_version__field").prefetch_related(
            Prefetch("current_version__cases")
        )[offset : offset + limit]
    )
    return ProcedurePage(total=total, items=items)


def _full_version_qs() -> QuerySet[ProcedureVersion]:
    return ProcedureVersion.objects.select_related("field", "procedure").prefetch_related(
        "cases", "components", "fees", "steps", "results", "agencies__unit"
    )


def procedure_get(*, code: str) -> Procedure:
    """The procedure with its current version and everything under it, or ``NotFound``."""
    procedure = (
        Procedure.objects.filter(code=code, current_version__isnull=False)
        .prefetch_related(Prefetch("current_version", queryset=_full_version_qs()))
        .first()
    )
    if procedure is None:
        raise NotFound(_("Không có thủ tục mã “%(code)s”.") % {"code": code}, field="code")
    return procedure


def version_get(*, code: str, number: int) -> ProcedureVersion:
    version = _full_version_qs().filter(procedure__code=code, number=number).first()
    if version is None:
        raise NotFound(
            _("Không có phiên bản %(n)d của thủ tục “%(code)s”.") % {"n": number, "code": code}
        )
    return version


def procedure_versions(*, procedure: Procedure) -> list[ProcedureVersion]:
    return list(procedure.versions.order_by("-number"))


def version_agencies(version: ProcedureVersion) -> list[Agency]:
    """The agencies that implement a version: the explicit ones plus, when the version names a
    level, every active agency of that level (resolved now, so new communes are covered)."""
    explicit = list(version.agencies.all())
    if not version.agency_level:
        return explicit
    by_level = Agency.objects.filter(level=version.agency_level, is_active=True).select_related(
        "unit"
    )
    merged = {a.pk: a for a in explicit}
    merged.update({a.pk: a for a in by_level})
    return sorted(merged.values(), key=lambda a: a.code)


def field_list() -> list[Field]:
    """Every field, each with ``procedure_count``: its number of current procedures."""
    counts = dict(
        Procedure.objects.filter(current_version__isnull=False)
        .values_list("current_version__field")
        .annotate(n=Count("pk"))
        .values_list("current_version__field", "n")
    )
    fields = list(Field.objects.order_by("name"))
    for f in fields:
        f.procedure_count = counts.get(f.pk, 0)  # type: ignore[attr-defined]
    return fields


def version_as_format(version: ProcedureVersion) -> fmt.ProcedureIn:
    """Rebuild the import-format form of a stored version (for exports and audit diffs)."""
    cases = list(version.cases.all())
    components = list(version.components.all())
    fees = list(version.fees.all())
    steps = list(version.steps.all())

    def comps(case_id: int | None) -> list[fmt.ComponentIn]:
        return [
            fmt.ComponentIn(
                name=c.name,
                required=c.required,
                originals=c.original_count,
                copies=c.copy_count,
                form_template=c.form_template,
                must_digitize=c.must_digitize,
                may_reuse=c.may_reuse,
                present_only=c.present_only,
                condition=c.condition,
            )
            for c in sorted(components, key=lambda c: c.order)
            if c.case_id == case_id
        ]

    def fees_of(case_id: int | None) -> list[fmt.FeeIn]:
        return [
            fmt.FeeIn(
                name=f.name,
                amount_vnd=f.amount_vnd,
                payer_kind=f.payer_kind,  # type: ignore[arg-type]
                channel=f.channel,  # type: ignore[arg-type]
                per=f.per,
                note=f.note,
            )
            for f in sorted(fees, key=lambda f: f.order)
            if f.case_id == case_id
        ]

    def steps_of(case_id: int | None) -> list[fmt.StepIn]:
        return [
            fmt.StepIn(name=s.name, role=s.role, time_share=s.time_share)  # type: ignore[arg-type]
            for s in sorted(steps, key=lambda s: s.order)
            if s.case_id == case_id
        ]

    def limit(amount: int | None, unit: str) -> fmt.TimeLimitIn | None:
        if not unit:
            return None
        return fmt.TimeLimitIn(amount=amount, unit=unit)  # type: ignore[arg-type]

    return fmt.ProcedureIn.model_validate(
        {
            "code": version.procedure.code,
            "name": version.name,
            "field": version.field.code,
            "levels": version.levels,
            "procedure_type": version.procedure_type,
            "legal_basis": version.legal_basis,
            "applicants": version.applicants,
            "competent_authority": version.competent_authority,
            "implementing_agencies": {
                "level": version.agency_level or None,
                "codes": [a.code for a in version.agencies.all()],
            },
            "online_level": version.online_level,
            "result_kind": version.result_kind,
            "written_result_required": version.written_result_required,
            "supplement_mode": version.supplement_mode,
            "publication": {
                "decision_number": version.publication_number,
                "date": version.publication_date,
            },
            "valid_from": version.valid_from,
            "cases": [
                {
                    "name": c.name,
                    "time_limit": limit(c.time_limit_amount, c.time_limit_unit),
                    "online_time_limit": limit(
                        c.online_time_limit_amount, c.online_time_limit_unit
                    ),
                    "note": c.note,
                    "components": comps(c.pk),
                    "fees": fees_of(c.pk),
                    "process_steps": steps_of(c.pk),
                }
                for c in cases
            ],
            "components": comps(None),
            "fees": fees_of(None),
            "process_steps": steps_of(None),
            "results": [{"code": r.code, "name": r.name} for r in version.results.all()],
            "notes": version.notes,
            "source": {"url": version.source_url, "reference": version.source_reference},
        }
    )


@dataclass(frozen=True)
class VersionParts:
    """What a dossier's intake and its statistics read of its procedure version, again and
    again: fixed for the version's life."""

    cases: list[ProcedureCase]  # in order
    components: dict[int, Component]  # pk → component
    steps: list[ProcessStep]  # step templates, in order
    has_fee: bool  # a fee greater than 0


_VERSION_PARTS: dict[int, VersionParts] = {}


def version_parts(version_id: int) -> VersionParts:
    """A version's parts, read once per process: versions are immutable with their parts (ADR
    catalog; a change is a new version, written in one transaction), and re-reading them
    through the ORM was a third of every intake's CPU (bench/lifecycle.py)."""
    parts = _VERSION_PARTS.get(version_id)
    if parts is None:
        if len(_VERSION_PARTS) > 2_000:
            _VERSION_PARTS.clear()
        parts = _VERSION_PARTS[version_id] = VersionParts(
            cases=list(ProcedureCase.objects.filter(version_id=version_id).order_by("order")),
            components={c.pk: c for c in Component.objects.filter(version_id=version_id)},
            steps=list(ProcessStep.objects.filter(version_id=version_id).order_by("order")),
            has_fee=Fee.objects.filter(version_id=version_id, amount_vnd__gt=0).exists(),
        )
    return parts


def reset_version_cache() -> None:
    """Forget the cached version parts (tests: ids are reused after a rollback)."""
    _VERSION_PARTS.clear()
