"""The catalog import format (``docs/catalog-format.md``): parsing and validation, no ORM.

``parse_catalog(text)`` checks a whole file and returns either the validated catalog or *every*
problem found, each with its path in the file (``procedures[3].cases[0].time_limit.unit``).
Checks that need the database (agency codes) are done by ``services.catalog_import`` using
``agency_references``; everything else lives here so it can be tested without a database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

FORMAT_ID = "motcua.catalog/1"

Level = Literal["province", "district", "commune"]
AgencyLevel = Literal["province", "district", "commune"]
TimeUnit = Literal["working_days", "working_hours", "calendar_days", "none"]
OnlineLevel = Literal["none", "partial", "full"]
ResultKind = Literal["paper", "electronic", "both"]
SupplementMode = Literal["pause", "restart"]
PayerKind = Literal["any", "citizen", "business", "organization"]
Channel = Literal["any", "online", "postal", "direct"]
# The internal roles of accounts.Role that take part in a procedure's process.
StepRole = Literal["clerk", "specialist", "head", "leader", "secretary"]

PROCEDURE_CODE_RE = re.compile(r"^[0-9]{1,2}\.[0-9]{6}$")
FIELD_CODE_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESULT_CODE_RE = re.compile(r"^KQ\.[A-Z0-9]+(?:\.[A-Z0-9]+)*$")
AGENCY_CODE_RE = re.compile(r"^[0-9A-Z]{3}\.[0-9A-Z]{2}\.[0-9A-Z]{2}\.[0-9A-Z]{3}$")
MAX_TIME_LIMIT = 1000

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, strict=True)]
OptionalText = Annotated[str, StringConstraints(strip_whitespace=True, strict=True)]


def _matches(pattern: re.Pattern[str], example: str) -> AfterValidator:
    def check(value: str) -> str:
        if not pattern.match(value):
            raise ValueError(f'"{value}" does not look like {example}')
        return value

    return AfterValidator(check)


ProcedureCode = Annotated[Text, _matches(PROCEDURE_CODE_RE, "a national code such as 1.001193")]
FieldCode = Annotated[Text, _matches(FIELD_CODE_RE, "a lower-case slug such as ho-tich")]
AgencyCode = Annotated[Text, _matches(AGENCY_CODE_RE, "an agency code such as 000.00.03.H16")]
ResultCode = Annotated[OptionalText, AfterValidator(lambda v: _result_code(v))]
Count = Annotated[StrictInt, Field(ge=0, le=100)]


def _result_code(value: str) -> str:
    if value and not RESULT_CODE_RE.match(value):
        raise ValueError(f'"{value}" does not look like a result code such as KQ.G15.000031')
    return value


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldIn(_In):
    code: FieldCode
    name: Text


class TimeLimitIn(_In):
    amount: Annotated[StrictInt, Field(ge=0, le=MAX_TIME_LIMIT)] | None = None
    unit: TimeUnit

    @model_validator(mode="after")
    def _amount_matches_unit(self) -> TimeLimitIn:
        if self.unit == "none" and self.amount:
            raise ValueError('amount must be empty (null) when unit is "none"')
        if self.unit != "none" and not self.amount:
            raise ValueError(f'amount must be a positive integer when unit is "{self.unit}"')
        return self


class ComponentIn(_In):
    name: Text
    required: StrictBool
    originals: Count = 1
    copies: Count = 0
    form_template: OptionalText = ""
    must_digitize: StrictBool = False
    may_reuse: StrictBool = False
    present_only: StrictBool = False
    condition: OptionalText = ""

    @model_validator(mode="after")
    def _some_paper(self) -> ComponentIn:
        if self.originals + self.copies == 0:
            raise ValueError("originals + copies must be at least 1 (put explanations in notes)")
        return self


class FeeIn(_In):
    name: Text
    amount_vnd: Annotated[StrictInt, Field(ge=0, le=10_000_000_000)]
    payer_kind: PayerKind = "any"
    channel: Channel = "any"
    per: OptionalText = ""
    note: OptionalText = ""


class StepIn(_In):
    name: Text
    role: StepRole
    time_share: Annotated[StrictInt, Field(ge=1, le=100)]


class ResultIn(_In):
    code: ResultCode = ""
    name: Text


class CaseIn(_In):
    name: Text
    time_limit: TimeLimitIn
    online_time_limit: TimeLimitIn | None = None
    note: OptionalText = ""
    components: list[ComponentIn] = []
    fees: list[FeeIn] = []
    process_steps: list[StepIn] = []


class PublicationIn(_In):
    decision_number: Text
    date: dt.date | None = None


class AgenciesIn(_In):
    level: AgencyLevel | None = None
    codes: list[AgencyCode] = []

    @model_validator(mode="after")
    def _not_empty(self) -> AgenciesIn:
        if self.level is None and not self.codes:
            raise ValueError('give "level", "codes" or both')
        return self

    @field_validator("codes")
    @classmethod
    def _as_set(cls, codes: list[str]) -> list[str]:
        # The agencies are a set: order and repetition carry no meaning (and no new version).
        return sorted(set(codes))


class SourceIn(_In):
    url: OptionalText = ""
    reference: OptionalText = ""


class ProcedureIn(_In):
    code: ProcedureCode
    name: Text
    field: FieldCode
    levels: Annotated[list[Level], Field(min_length=1)]
    procedure_type: OptionalText = ""
    legal_basis: list[Text] = []
    applicants: list[Text] = []
    competent_authority: OptionalText = ""
    implementing_agencies: AgenciesIn
    online_level: OnlineLevel
    result_kind: ResultKind
    written_result_required: StrictBool = True
    supplement_mode: SupplementMode = "pause"
    publication: PublicationIn
    valid_from: dt.date | None = None
    cases: Annotated[list[CaseIn], Field(min_length=1)]
    components: list[ComponentIn] = []
    fees: list[FeeIn] = []
    process_steps: list[StepIn] = []
    results: list[ResultIn] = []
    notes: list[Text] = []
    source: SourceIn = SourceIn()

    def canonical(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON form: equal content ⇔ equal hash (key order, spacing
        and omitted defaults in the file do not matter)."""
        blob = json.dumps(
            self.canonical(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
        )
        return hashlib.sha256(blob.encode()).hexdigest()


class _Header(_In):
    format: Literal["motcua.catalog/1"]
    description: OptionalText = ""
    fields: list[Any] = []
    procedures: list[Any]


@dataclass(frozen=True, order=True)
class FormatError:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass(frozen=True)
class Catalog:
    fields: list[FieldIn]
    procedures: list[ProcedureIn]

    def field(self, code: str) -> FieldIn:
        return next(f for f in self.fields if f.code == code)


@dataclass(frozen=True)
class ParseResult:
    catalog: Catalog | None
    errors: list[FormatError]


# --- error formatting ---------------------------------------------------------------------


def join_path(prefix: str, loc: tuple[str | int, ...]) -> str:
    path = prefix
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def _allowed(annotation: object) -> str:
    return ", ".join(str(v) for v in get_args(annotation))


_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "is not part of the format (check the spelling)",
    "int_type": "must be an integer",
    "int_from_float": "must be an integer",
    "bool_type": "must be true or false",
    "string_type": "must be a string",
    "list_type": "must be a list",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
    "date_type": "must be a date written YYYY-MM-DD",
    "date_parsing": "must be a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "must be a date written YYYY-MM-DD",
    "date_from_datetime_inexact": "must be a date written YYYY-MM-DD",
    "string_too_short": "must not be empty",
}


def _message(err: Any) -> str:
    kind: str = err["type"]
    ctx: dict[str, Any] = err.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", ", ").replace("'", "")
        return f"must be one of {expected}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"must be at most {ctx.get('le')}"
    if kind == "too_short":
        return f"must have at least {ctx.get('min_length')} item(s)"
    if kind == "value_error":
        return str(err["msg"]).removeprefix("Value error, ")
    return str(err["msg"])


def _errors_from(exc: ValidationError, prefix: str) -> list[FormatError]:
    out: list[FormatError] = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        # Union branches (``TimeLimitIn | None``) add the branch name to the location.
        loc = tuple(p for p in loc if p not in ("TimeLimitIn",))
        out.append(FormatError(join_path(prefix, loc), _message(err)))
    return out


# --- parsing ------------------------------------------------------------------------------


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    counts = Counter(k for k, _ in pairs)
    dupes = sorted(k for k, n in counts.items() if n > 1)
    if dupes:
        raise _DuplicateKeyError(dupes[0])
    return dict(pairs)


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def load_json(text: str | bytes) -> tuple[Any, list[FormatError]]:
    """Decode JSON, reporting syntax errors with line and column, and duplicated keys."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return None, [FormatError("", f"the file is not UTF-8 text (byte {exc.start})")]
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys), []
    except json.JSONDecodeError as exc:
        return None, [
            FormatError("", f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
        ]
    except _DuplicateKeyError as exc:
        return None, [
            FormatError("", f'invalid JSON: the key "{exc.key}" appears twice in one object')
        ]


def parse_catalog(text: str | bytes) -> ParseResult:
    """Validate a whole catalog file; return the catalog, or every error found."""
    raw, errors = load_json(text)
    if errors:
        return ParseResult(None, errors)
    if not isinstance(raw, dict):
        return ParseResult(None, [FormatError("", "the file must hold a JSON object")])
    try:
        header = _Header.model_validate(raw)
    except ValidationError as exc:
        return ParseResult(None, _errors_from(exc, ""))

    fields: list[FieldIn] = []
    for i, item in enumerate(header.fields):
        try:
            fields.append(FieldIn.model_validate(item))
        except ValidationError as exc:
            errors += _errors_from(exc, f"fields[{i}]")
    procedures: list[tuple[int, ProcedureIn]] = []
    for i, item in enumerate(header.procedures):
        try:
            procedures.append((i, ProcedureIn.model_validate(item)))
        except ValidationError as exc:
            errors += _errors_from(exc, f"procedures[{i}]")

    errors += _check_fields(fields)
    errors += _check_duplicate_codes(header.procedures)
    known_fields = {f.code for f in fields}
    for i, proc in procedures:
        errors += check_procedure(proc, f"procedures[{i}]", known_fields)

    if errors:
        return ParseResult(None, sorted(set(errors), key=_error_order))
    return ParseResult(Catalog(fields, [p for _, p in procedures]), [])


def _error_order(err: FormatError) -> tuple[Any, ...]:
    # Natural order: procedures[2] before procedures[10].
    parts = re.split(r"(\d+)", err.path)
    return (tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts), err.message)


def _check_fields(fields: list[FieldIn]) -> list[FormatError]:
    seen: dict[str, int] = {}
    out = []
    for i, f in enumerate(fields):
        if f.code in seen:
            out.append(
                FormatError(f"fields[{i}].code", f'duplicate of fields[{seen[f.code]}] "{f.code}"')
            )
        seen.setdefault(f.code, i)
    return out


def _check_duplicate_codes(raw_procedures: list[Any]) -> list[FormatError]:
    seen: dict[str, int] = {}
    out = []
    for i, item in enumerate(raw_procedures):
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str):
            continue
        code = code.strip()
        if code in seen:
            out.append(
                FormatError(
                    f"procedures[{i}].code",
                    f'duplicate code "{code}" (already used by procedures[{seen[code]}])',
                )
            )
        seen.setdefault(code, i)
    return out


def _check_shares(steps: list[StepIn], path: str) -> list[FormatError]:
    total = sum(s.time_share for s in steps)
    if total != 100:
        return [FormatError(path, f"time shares sum to {total}, they must sum to 100")]
    return []


def check_procedure(proc: ProcedureIn, path: str, known_fields: set[str]) -> list[FormatError]:
    """Rules across the fields of one procedure (its structure is already valid)."""
    out: list[FormatError] = []
    if proc.field not in known_fields:
        out.append(
            FormatError(
                f"{path}.field", f'unknown field code "{proc.field}" (declare it in fields)'
            )
        )
    for name, count in Counter(proc.levels).items():
        if count > 1:
            out.append(FormatError(f"{path}.levels", f'"{name}" is listed twice'))
    case_names: dict[str, int] = {}
    for ci, case in enumerate(proc.cases):
        cpath = f"{path}.cases[{ci}]"
        key = case.name.casefold()
        if key in case_names:
            out.append(
                FormatError(f"{cpath}.name", f"duplicate case name (see cases[{case_names[key]}])")
            )
        case_names.setdefault(key, ci)
        if case.process_steps:
            out += _check_shares(case.process_steps, f"{cpath}.process_steps")
        elif not proc.process_steps:
            out.append(
                FormatError(
                    f"{cpath}.process_steps",
                    "no process steps: give them here or at the procedure level",
                )
            )
        online, main = case.online_time_limit, case.time_limit
        if (
            online is not None
            and online.unit == main.unit
            and online.amount is not None
            and main.amount is not None
            and online.amount > main.amount
        ):
            out.append(
                FormatError(
                    f"{cpath}.online_time_limit.amount",
                    f"must not exceed time_limit.amount ({main.amount})",
                )
            )
    if proc.process_steps:
        out += _check_shares(proc.process_steps, f"{path}.process_steps")
    if proc.publication.date and proc.valid_from and proc.valid_from < proc.publication.date:
        out.append(FormatError(f"{path}.valid_from", "must not be before publication.date"))
    return out


def agency_references(catalog: Catalog) -> list[tuple[str, str]]:
    """(path, agency code) for every explicit agency code, for the database check."""
    refs = []
    for i, proc in enumerate(catalog.procedures):
        for j, code in enumerate(proc.implementing_agencies.codes):
            refs.append((f"procedures[{i}].implementing_agencies.codes[{j}]", code))
    return refs


def agency_levels(catalog: Catalog) -> list[tuple[str, str]]:
    """(path, level) for every level-wide agency selector."""
    return [
        (f"procedures[{i}].implementing_agencies.level", proc.implementing_agencies.level)
        for i, proc in enumerate(catalog.procedures)
        if proc.implementing_agencies.level is not None
    ]


def allowed_values(name: str) -> str:
    """The allowed values of one of the format's enumerations, for docs and messages."""
    return _allowed(
        {
            "level": Level,
            "time_unit": TimeUnit,
            "online_level": OnlineLevel,
            "result_kind": ResultKind,
            "supplement_mode": SupplementMode,
            "payer_kind": PayerKind,
            "channel": Channel,
            "role": StepRole,
        }[name]
    )
