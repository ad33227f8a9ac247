"""The import format validator (pure: no database)."""

from __future__ import annotations

import json
from typing import Any, get_args

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.accounts.models import Role
from motcua.catalog import format as fmt
from motcua.catalog.tests.conftest import catalog, dumps, procedure, variant


def errors_of(data: dict[str, Any] | str) -> list[str]:
    text = data if isinstance(data, str) else dumps(data)
    result = fmt.parse_catalog(text)
    assert (result.catalog is None) == bool(result.errors)
    return [str(e) for e in result.errors]


def test_it_accepts_a_valid_catalog() -> None:
    result = fmt.parse_catalog(dumps(catalog()))
    assert result.errors == []
    assert result.catalog is not None
    assert result.catalog.procedures[0].name == "Thủ tục đăng ký khai sinh"


def test_it_names_the_path_and_allowed_values_of_a_bad_time_unit() -> None:
    data = catalog(procedure(), procedure("1.004884"), procedure("2.000528"), procedure("1.000894"))
    data["procedures"][3]["cases"][0]["time_limit"]["unit"] = "weeks"
    assert errors_of(data) == [
        "procedures[3].cases[0].time_limit.unit: must be one of "
        "working_days, working_hours, calendar_days, none"
    ]


def test_it_reports_every_error_in_one_run() -> None:
    data = catalog(procedure(), procedure("1.004884"), procedure("1.004884"))
    data["procedures"][0]["online_level"] = "half"
    del data["procedures"][1]["name"]
    data["procedures"][1]["colour"] = "red"
    errors = errors_of(data)
    assert errors == [
        "procedures[0].online_level: must be one of none, partial, full",
        "procedures[1].colour: is not part of the format (check the spelling)",
        "procedures[1].name: is required",
        'procedures[2].code: duplicate code "1.004884" (already used by procedures[1])',
    ]


def test_it_rejects_step_shares_that_do_not_sum_to_100() -> None:
    data = catalog()
    data["procedures"][0]["process_steps"][0]["time_share"] = 5
    assert errors_of(data) == [
        "procedures[0].process_steps: time shares sum to 95, they must sum to 100"
    ]


def test_it_checks_case_level_steps_separately() -> None:
    data = catalog()
    data["procedures"][0]["cases"][0]["process_steps"] = [
        {"name": "Xử lý", "role": "specialist", "time_share": 101}
    ]
    assert errors_of(data) == [
        "procedures[0].cases[0].process_steps[0].time_share: must be at most 100"
    ]


def test_it_requires_steps_for_every_case() -> None:
    data = catalog(procedure(process_steps=[]))
    assert errors_of(data) == [
        "procedures[0].cases[0].process_steps: "
        "no process steps: give them here or at the procedure level"
    ]


def test_it_reports_invalid_json_with_line_and_column() -> None:
    text = '{\n  "format": "motcua.catalog/1",\n  "procedures": [,]\n}'
    assert errors_of(text) == ["invalid JSON at line 3, column 18: Expecting value"]


def test_it_rejects_a_key_given_twice() -> None:
    assert errors_of('{"format": "motcua.catalog/1", "procedures": [], "procedures": []}') == [
        'invalid JSON: the key "procedures" appears twice in one object'
    ]


def test_it_rejects_non_utf8_bytes() -> None:
    result = fmt.parse_catalog('{"name": "Hộ tịch"}'.encode("cp1258", errors="replace"))
    assert result.catalog is None


def test_it_rejects_the_wrong_top_level_shape() -> None:
    assert errors_of("[]") == ["the file must hold a JSON object"]
    assert errors_of({"procedures": []}) == ["format: is required"]


def test_it_rejects_unknown_field_codes_and_duplicate_fields() -> None:
    data = catalog(procedure(field="thue"))
    data["fields"].append({"code": "ho-tich", "name": "Hộ tịch (2)"})
    assert errors_of(data) == [
        'fields[2].code: duplicate of fields[0] "ho-tich"',
        'procedures[0].field: unknown field code "thue" (declare it in fields)',
    ]


@pytest.mark.parametrize(
    ("time_limit", "message"),
    [
        ({"amount": 3, "unit": "none"}, 'amount must be empty (null) when unit is "none"'),
        ({"amount": None, "unit": "working_days"}, "amount must be a positive integer"),
        ({"amount": "3", "unit": "working_days"}, "must be an integer"),
        ({"unit": "calendar_days"}, "amount must be a positive integer"),
    ],
)
def test_it_checks_time_limit_amounts(time_limit: dict[str, Any], message: str) -> None:
    data = catalog()
    data["procedures"][0]["cases"][0]["time_limit"] = time_limit
    (error,) = errors_of(data)
    assert error.startswith("procedures[0].cases[0].time_limit")
    assert message in error


def test_it_accepts_no_appointment_cases() -> None:
    data = catalog()
    data["procedures"][0]["cases"][0]["time_limit"] = {"amount": None, "unit": "none"}
    assert errors_of(data) == []


def test_it_rejects_an_online_limit_longer_than_the_limit() -> None:
    data = catalog()
    data["procedures"][0]["cases"][0]["online_time_limit"] = {"amount": 2, "unit": "working_days"}
    assert errors_of(data) == [
        "procedures[0].cases[0].online_time_limit.amount: must not exceed time_limit.amount (1)"
    ]


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (("code",), "1001193", 'procedures[0].code: "1001193" does not look like a national code'),
        (("levels",), [], "procedures[0].levels: must have at least 1 item(s)"),
        (("levels",), ["commune", "commune"], 'procedures[0].levels: "commune" is listed twice'),
        (("cases",), [], "procedures[0].cases: must have at least 1 item(s)"),
        (("implementing_agencies",), {}, 'procedures[0].implementing_agencies: give "level"'),
        (
            ("implementing_agencies",),
            {"codes": ["H16-01"]},
            'procedures[0].implementing_agencies.codes[0]: "H16-01" does not look like',
        ),
        (("results", 0, "code"), "G15.31", "procedures[0].results[0].code: "),
        (("components", 0, "originals"), -1, "procedures[0].components[0].originals: must be at"),
        (("components", 0, "required"), "yes", "components[0].required: must be true or false"),
        (("publication", "date"), "30/06/2025", "publication.date: must be a date written"),
        (("process_steps", 0, "role"), "boss", "process_steps[0].role: must be one of clerk"),
        (("fees",), [{"name": "Lệ phí", "amount_vnd": -5}], "fees[0].amount_vnd: must be at"),
        (("valid_from",), "2025-01-01", "procedures[0].valid_from: must not be before"),
    ],
)
def test_it_names_the_path_of_each_kind_of_error(
    path: tuple[str | int, ...], value: Any, expected: str
) -> None:
    data = catalog()
    target: Any = data["procedures"][0]
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    errors = errors_of(data)
    assert len(errors) == 1, errors
    assert expected in errors[0]


def test_it_rejects_a_component_with_no_paper() -> None:
    data = catalog()
    data["procedures"][0]["components"][0].update(originals=0, copies=0)
    assert errors_of(data) == [
        "procedures[0].components[0]: originals + copies must be at least 1 "
        "(put explanations in notes)"
    ]


def test_the_content_hash_ignores_key_order_defaults_and_agency_order() -> None:
    base = procedure(implementing_agencies={"codes": ["000.00.03.H16", "000.00.04.H16"]})
    shuffled = dict(reversed(list(variant(base).items())))
    shuffled["written_result_required"] = True  # the default, now explicit
    shuffled["implementing_agencies"] = {"codes": ["000.00.04.H16", "000.00.03.H16"]}
    a = fmt.ProcedureIn.model_validate(base)
    b = fmt.ProcedureIn.model_validate(json.loads(json.dumps(shuffled)))
    assert a.content_hash() == b.content_hash()
    changed = fmt.ProcedureIn.model_validate({**base, "name": "Thủ tục đăng ký khai sinh (sửa)"})
    assert changed.content_hash() != a.content_hash()


def test_step_roles_are_account_roles() -> None:
    assert set(get_args(fmt.StepRole)) <= set(Role.values)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(["code", "name", "cases", "unit", "x"]), children, max_size=4
        )
    ),
    max_leaves=20,
)


@given(
    key=st.sampled_from(["code", "cases", "levels", "fees", "process_steps", "publication"]),
    value=json_values,
)
def test_any_json_value_gives_errors_or_a_catalog_never_an_exception(key: str, value: Any) -> None:
    data = catalog()
    data["procedures"][0][key] = value
    result = fmt.parse_catalog(json.dumps(data))
    assert (result.catalog is None) == bool(result.errors)
    assert all(e.path.startswith("procedures[0]") for e in result.errors)


@given(shares=st.lists(st.integers(min_value=1, max_value=100), min_size=1, max_size=6))
def test_step_shares_are_accepted_exactly_when_they_sum_to_100(shares: list[int]) -> None:
    steps = [{"name": f"B{i}", "role": "specialist", "time_share": s} for i, s in enumerate(shares)]
    result = fmt.parse_catalog(json.dumps(catalog(procedure(process_steps=steps))))
    assert (result.catalog is not None) == (sum(shares) == 100)
