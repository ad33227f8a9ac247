"""Helpers shared by the statistics tests."""

from __future__ import annotations

from typing import Any

from motcua.stats import services
from motcua.stats.facts import Fact, outcome
from motcua.stats.models import DossierFact, Source


def store_fact(
    code: str,
    fact: Fact,
    *,
    agency: Any,
    receiving_agency: Any,
    procedure: Any,
    source: str = Source.IMPORTED,
    status: int = 1,
    applicant_name: str = "",
) -> DossierFact:
    """A fact row (as the history import stores one) and its contributions in the rollups."""
    row = DossierFact(
        code=code,
        source=source,
        agency=agency,
        receiving_agency=receiving_agency,
        procedure=procedure,
        status=status,
        applicant_name=applicant_name,
        outcome=outcome(fact),
        **{name: getattr(fact, name) for name in services.FACT_FIELDS},
    )
    row.save()
    services.apply_delta(services.keyed(services.dims_of(row), fact))
    return row
