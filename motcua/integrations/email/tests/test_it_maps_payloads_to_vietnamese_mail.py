"""The pure mapping: payload → recipient, subject and body, in Vietnamese."""

from __future__ import annotations

from typing import Any

import pytest

from motcua.integrations.email.mapping import (
    TEMPLATES,
    MappingError,
    format_amount,
    format_moment,
    render,
)

CODE = "000.00.03.H16-261127-0001"


def _payload(status: str, **context: Any) -> dict[str, Any]:
    return {
        "to": "anh@example.vn",
        "template": "dossier_status",
        "context": {"code": CODE, "status": status, **context},
    }


def test_it_writes_the_receipt_notice_with_the_due_moment_in_vietnam_time() -> None:
    mail = render(
        _payload(
            "received",
            applicant_name="Nguyễn Thị Ánh",
            procedure_name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
            due_at="2026-11-30T10:00:00+00:00",
        )
    )
    assert mail.to == "anh@example.vn"
    assert mail.subject == f"Hồ sơ {CODE} đã được tiếp nhận"
    assert mail.body.startswith("Kính gửi Ông/Bà Nguyễn Thị Ánh,\n")
    assert "Thủ tục: Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam" in mail.body
    assert f"Hồ sơ {CODE} đã được tiếp nhận; hạn trả kết quả: 17:00 Thứ Hai 30/11/2026." in (
        mail.body
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-30T17:00:00+07:00", "17:00 Thứ Hai 30/11/2026"),
        ("2026-11-29T08:30:00", "08:30 Chủ Nhật 29/11/2026"),  # naive = Vietnam time
        ("2026-12-31T17:30:00Z", "00:30 Thứ Sáu 01/01/2027"),
        ("2026-12-02", "Thứ Tư 02/12/2026"),
    ],
)
def test_it_formats_moments_the_vietnamese_way(value: str, expected: str) -> None:
    assert format_moment(value) == expected


def test_it_formats_amounts_in_dong() -> None:
    assert format_amount(150000) == "150.000 đồng"
    assert format_amount("1200000") == "1.200.000 đồng"


@pytest.mark.parametrize("status", sorted(TEMPLATES))
def test_it_has_a_complete_text_for_every_notified_status(status: str) -> None:
    mail = render(
        _payload(status, reason="Thiếu bản sao giấy khai sinh", due_at="2026-12-02T17:00:00+07:00")
    )
    assert CODE in mail.subject
    assert CODE in mail.body
    assert mail.body.rstrip().endswith("vui lòng không trả lời thư này.")
    assert "{" not in mail.body + mail.subject


def test_it_gives_the_reason_for_a_refusal_and_a_supplement_request() -> None:
    refused = render(_payload("refused", reason="Hồ sơ không thuộc thẩm quyền"))
    assert "Lý do: Hồ sơ không thuộc thẩm quyền." in refused.body
    supplement = render(_payload("awaiting_supplement", reason="Bản sao giấy khai sinh."))
    assert "Nội dung cần bổ sung: Bản sao giấy khai sinh." in supplement.body


def test_it_writes_the_apology_with_the_new_date() -> None:
    mail = render(
        _payload(
            "apologized",
            agency_name="Sở Tư pháp",
            new_due_at="2026-12-04T17:00:00+07:00",
            reason="Cần xác minh thêm thông tin",
        )
    )
    assert mail.subject == f"Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {CODE}"
    assert "Sở Tư pháp xin lỗi Ông/Bà" in mail.body
    assert "Thời hạn trả kết quả mới: 17:00 Thứ Sáu 04/12/2026." in mail.body


def test_it_states_the_fee_to_pay() -> None:
    mail = render(_payload("awaiting_payment", amount=200000))
    assert "số tiền: 200.000 đồng." in mail.body


def test_it_falls_back_to_a_generic_notice_for_other_statuses() -> None:
    mail = render(_payload("processing", status_label="Đang xử lý"))
    assert mail.subject == f"Cập nhật trạng thái hồ sơ {CODE}"
    assert f"Trạng thái hồ sơ {CODE} đã thay đổi: Đang xử lý." in mail.body


def test_it_reads_the_short_form_with_the_status_as_template() -> None:
    mail = render(
        {
            "to": "anh@example.vn",
            "template": "refused",
            "context": {
                "code": CODE,
                "name": "Trần Văn Bình",
                "procedure": "Đăng ký khai sinh",
                "status": "Không được tiếp nhận",
                "note": "Sai thẩm quyền",
            },
        }
    )
    assert mail.subject == f"Hồ sơ {CODE} không được tiếp nhận"
    assert "Kính gửi Ông/Bà Trần Văn Bình," in mail.body
    assert "Thủ tục: Đăng ký khai sinh" in mail.body
    assert "Lý do: Sai thẩm quyền." in mail.body


def test_it_sends_a_plain_message_as_given() -> None:
    mail = render(
        {
            "to": "a@b.vn",
            "template": "plain",
            "context": {"subject": "Thử\nnghiệm", "body": "Nội dung"},
        }
    )
    assert (mail.subject, mail.body) == ("Thử nghiệm", "Nội dung\n")


@pytest.mark.parametrize(
    "payload",
    [
        {"context": {"code": CODE, "status": "received"}},
        {"to": "not-an-address", "context": {"code": CODE, "status": "received"}},
        {"to": "a@b.vn, c@d.vn", "context": {"code": CODE, "status": "received"}},
        {"to": "a@b.vn\r\nBcc: x@y.vn", "context": {"code": CODE, "status": "received"}},
        {"to": "a@b.vn", "context": {"status": "received"}},
        {"to": "a@b.vn", "context": {"code": CODE, "status": "received", "due_at": "mai"}},
        {"to": "a@b.vn", "template": "plain", "context": {"subject": "x"}},
        {"to": "a@b.vn", "context": "received"},
    ],
)
def test_it_rejects_payloads_that_cannot_make_an_e_mail(payload: dict[str, Any]) -> None:
    with pytest.raises(MappingError):
        render(payload)
