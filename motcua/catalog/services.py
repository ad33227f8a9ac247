"""Writes to the catalog. The only write path is the import of a catalog file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import transaction
from django.utils.translation import gettext as _

from motcua.audit.services import record
from motcua.catalog import format as fmt
from motcua.catalog.models import (
    Component,
    Fee,
    Field,
    ProcedureCase,
    ProcedureVersion,
    ProcessStep,
    ResultDocument,
)
from motcua.catalog.models import Procedure as ProcedureModel
from motcua.core.errors import InvalidInput
from motcua.core.text import fold
from motcua.units.models import Agency

Outcome = Literal["created", "new_version", "unchanged"]


class CatalogInvalid(InvalidInput):
    """The file has problems; ``errors`` lists every one of them with its path."""

    code = "catalog_invalid"

    def __init__(self, errors: list[fmt.FormatError]) -> None:
        super().__init__(
            _("Tệp danh mục có %(n)d lỗi; không có gì được nhập.") % {"n": len(errors)}
        )
        self.errors = errors


@dataclass
class ProcedureOutcome:
    code: str
    outcome: Outcome
    version: int


@dataclass
class ImportReport:
    dry_run: bool
    procedures: list[ProcedureOutcome] = field(default_factory=list)
    fields_created: list[str] = field(default_factory=list)
    fields_renamed: list[str] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for p in self.procedures if p.outcome == outcome)


def catalog_validate(*, text: str | bytes) -> fmt.Catalog:
    """Check a file completely (format and database references); raise ``CatalogInvalid``."""
    parsed = fmt.parse_catalog(text)
    if parsed.catalog is None:
        raise CatalogInvalid(parsed.errors)
    catalog = parsed.catalog
    errors: list[fmt.FormatError] = []
    refs = fmt.agency_references(catalog)
    known = set(
        Agency.objects.filter(code__in={code for _path, code in refs}).values_list(
            "code", flat=True
        )
    )
    inactive = set(
        Agency.objects.filter(code__in=known, is_active=False).values_list("code", flat=True)
    )
    for path, code in refs:
        if code not in known:
            errors.append(fmt.FormatError(path, f'unknown agency code "{code}"'))
        elif code in inactive:
            errors.append(fmt.FormatError(path, f'agency "{code}" is not active'))
    for path, level in fmt.agency_levels(catalog):
        if not Agency.objects.filter(level=level, is_active=True).exists():
            errors.append(fmt.FormatError(path, f'no active agency has level "{level}"'))
    if errors:
        raise CatalogInvalid(errors)
    return catalog


@transaction.atomic
def catalog_import(
    *, text: str | bytes, actor: Any | None = None, dry_run: bool = False
) -> ImportReport:
    """Import a catalog file in one transaction, or nothing at all.

    Per procedure: new code → created (version 1); content hash equal to the current version's →
    unchanged; otherwise → a new version becomes current and the old one is kept. With
    ``dry_run`` everything is done and then rolled back, so the report is exact.
    """
    catalog = catalog_validate(text=text)
    report = ImportReport(dry_run=dry_run)
    fields = _upsert_fields(catalog.fields, actor=actor, report=report)
    agencies = {
        a.code: a
        for a in Agency.objects.filter(
            code__in={code for _path, code in fmt.agency_references(catalog)}
        )
    }
    for proc in catalog.procedures:
        report.procedures.append(
            _import_procedure(proc, field=fields[proc.field], agencies=agencies, actor=actor)
        )
    if dry_run:
        transaction.set_rollback(True)
    return report


def _upsert_fields(
    items: list[fmt.FieldIn], *, actor: Any | None, report: ImportReport
) -> dict[str, Field]:
    existing = {f.code: f for f in Field.objects.filter(code__in=[i.code for i in items])}
    for item in items:
        current = existing.get(item.code)
        if current is None:
            current = Field.objects.create(code=item.code, name=item.name)
            existing[item.code] = current
            report.fields_created.append(item.code)
            record(action="field.created", actor=actor, subject=current, after={"name": item.name})
        elif current.name != item.name:
            before = current.name
            current.name = item.name
            current.save(update_fields=["name"])
            report.fields_renamed.append(item.code)
            record(
                action="field.renamed",
                actor=actor,
                subject=current,
                before={"name": before},
                after={"name": item.name},
            )
    return existing


def _summary(version: ProcedureVersion, content: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": version.number,
        "name": version.name,
        "content_hash": version.content_hash,
        "content": content,
    }


def _diff(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """NetBox-style pre/post snapshot restricted to the top-level keys that changed."""
    keys = sorted(k for k in set(old) | set(new) if old.get(k) != new.get(k))
    return {k: old.get(k) for k in keys}, {k: new.get(k) for k in keys}


def _import_procedure(
    proc: fmt.ProcedureIn, *, field: Field, agencies: dict[str, Agency], actor: Any | None
) -> ProcedureOutcome:
    content_hash = proc.content_hash()
    procedure, _created = ProcedureModel.objects.select_for_update().get_or_create(code=proc.code)
    current = procedure.current_version
    if current is not None and current.content_hash == content_hash:
        return ProcedureOutcome(proc.code, "unchanged", current.number)

    number = 1 if current is None else _next_number(procedure)
    version = _create_version(procedure, number, proc, field=field, agencies=agencies)
    procedure.current_version = version
    procedure.save(update_fields=["current_version"])

    content = proc.canonical()
    if current is None:
        record(
            action="procedure.imported",
            actor=actor,
            subject=procedure,
            after=_summary(version, content),
        )
        return ProcedureOutcome(proc.code, "created", number)
    old_content = _stored_content(current)
    before, after = _diff(old_content, content)
    record(
        action="procedure.versioned",
        actor=actor,
        subject=procedure,
        before={"version": current.number, "content_hash": current.content_hash, **before},
        after={"version": number, "content_hash": content_hash, **after},
    )
    return ProcedureOutcome(proc.code, "new_version", number)


def _next_number(procedure: ProcedureModel) -> int:
    last = procedure.versions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def _stored_content(version: ProcedureVersion) -> dict[str, Any]:
    """The canonical form of a stored version, rebuilt from its rows, for the audit diff."""
    from motcua.catalog.selectors import version_as_format

    return version_as_format(version).canonical()


def _create_version(
    procedure: ProcedureModel,
    number: int,
    proc: fmt.ProcedureIn,
    *,
    field: Field,
    agencies: dict[str, Agency],
) -> ProcedureVersion:
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=number,
        name=proc.name,
        field=field,
        levels_key="|" + "|".join(proc.levels) + "|",
        procedure_type=proc.procedure_type,
        legal_basis=list(proc.legal_basis),
        applicants=list(proc.applicants),
        competent_authority=proc.competent_authority,
        agency_level=proc.implementing_agencies.level or "",
        online_level=proc.online_level,
        result_kind=proc.result_kind,
        written_result_required=proc.written_result_required,
        supplement_mode=proc.supplement_mode,
        publication_number=proc.publication.decision_number,
        publication_date=proc.publication.date,
        valid_from=proc.valid_from,
        notes=list(proc.notes),
        source_url=proc.source.url,
        source_reference=proc.source.reference,
        content_hash=proc.content_hash(),
        search_text=fold(f"{proc.name} {proc.code} {field.name}"),
        name_folded=fold(proc.name),
    )
    if proc.implementing_agencies.codes:
        version.agencies.set([agencies[c] for c in proc.implementing_agencies.codes])

    components: list[Component] = []
    fees: list[Fee] = []
    steps: list[ProcessStep] = []
    _add_children(
        version, None, proc.components, proc.fees, proc.process_steps, components, fees, steps
    )
    for order, case_in in enumerate(proc.cases):
        online = case_in.online_time_limit
        case = ProcedureCase.objects.create(
            version=version,
            order=order,
            name=case_in.name,
            time_limit_amount=case_in.time_limit.amount or None,
            time_limit_unit=case_in.time_limit.unit,
            online_time_limit_amount=(online.amount or None) if online else None,
            online_time_limit_unit=online.unit if online else "",
            note=case_in.note,
        )
        _add_children(
            version,
            case,
            case_in.components,
            case_in.fees,
            case_in.process_steps,
            components,
            fees,
            steps,
        )
    Component.objects.bulk_create(components)
    Fee.objects.bulk_create(fees)
    ProcessStep.objects.bulk_create(steps)
    ResultDocument.objects.bulk_create(
        ResultDocument(version=version, order=i, code=r.code, name=r.name)
        for i, r in enumerate(proc.results)
    )
    return version


def _add_children(
    version: ProcedureVersion,
    case: ProcedureCase | None,
    components_in: list[fmt.ComponentIn],
    fees_in: list[fmt.FeeIn],
    steps_in: list[fmt.StepIn],
    components: list[Component],
    fees: list[Fee],
    steps: list[ProcessStep],
) -> None:
    # ``order`` runs over the whole version so procedure-level and case rows keep file order.
    for c in components_in:
        components.append(
            Component(
                version=version,
                case=case,
                order=len(components),
                name=c.name,
                required=c.required,
                original_count=c.originals,
                copy_count=c.copies,
                form_template=c.form_template,
                must_digitize=c.must_digitize,
                may_reuse=c.may_reuse,
                present_only=c.present_only,
                condition=c.condition,
            )
        )
    for f in fees_in:
        fees.append(
            Fee(
                version=version,
                case=case,
                order=len(fees),
                name=f.name,
                amount_vnd=f.amount_vnd,
                payer_kind=f.payer_kind,
                channel=f.channel,
                per=f.per,
                note=f.note,
            )
        )
    for s in steps_in:
        steps.append(
            ProcessStep(
                version=version,
                case=case,
                order=len(steps),
                name=s.name,
                role=s.role,
                time_share=s.time_share,
            )
        )
