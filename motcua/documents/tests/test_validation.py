"""The pure upload checks: type by content, size, count; the name mask."""

from __future__ import annotations

import pytest

from motcua.documents.masking import mask_name
from motcua.documents.validation import (
    JPEG,
    PDF,
    PNG,
    UploadRefused,
    check_upload,
    format_size,
)

MB = 1024 * 1024


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3", PDF),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", JPEG),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", PNG),
    ],
)
def test_it_accepts_pdf_jpeg_png_by_content_whatever_the_name(head: bytes, kind: object) -> None:
    assert check_upload(name="anh.exe", size=1000, head=head) == kind


@pytest.mark.parametrize("head", [b"MZ\x90\x00\x03\x00", b"\x7fELF\x02\x01\x01"])
def test_it_refuses_a_renamed_executable(head: bytes) -> None:
    with pytest.raises(UploadRefused) as err:
        check_upload(name="to-khai.pdf", size=5000, head=head)
    assert err.value.code == "file_type_refused"
    assert err.value.message == (
        "Tệp “to-khai.pdf” không phải PDF/JPEG/PNG (nội dung là tệp thực thi)."
    )


def test_it_names_what_a_refused_file_is() -> None:
    with pytest.raises(UploadRefused, match=r"tệp nén ZIP hoặc Word/Excel"):
        check_upload(name="don.docx", size=10, head=b"PK\x03\x04\x14\x00")
    with pytest.raises(UploadRefused, match=r"nội dung là tệp văn bản"):
        check_upload(name="a.pdf", size=10, head=b"hello world")
    with pytest.raises(UploadRefused, match=r"nội dung là không xác định"):
        check_upload(name="a.pdf", size=10, head=b"\x00\x01\x02\x03")
    with pytest.raises(UploadRefused, match=r"PDF/JPEG/PNG"):
        check_upload(name="a.pdf", size=10, head=b"%PD")  # a truncated signature


def test_it_refuses_an_empty_file() -> None:
    with pytest.raises(UploadRefused) as err:
        check_upload(name="trong.pdf", size=0, head=b"")
    assert err.value.code == "empty_file"
    assert "“trong.pdf” rỗng" in err.value.message


def test_it_refuses_an_oversized_file_with_both_sizes() -> None:
    size = int(12.3 * MB)
    with pytest.raises(UploadRefused) as err:
        check_upload(name="scan.pdf", size=size, head=b"%PDF-1.4")
    assert err.value.code == "file_too_large"
    assert err.value.message.startswith("Tệp quá lớn: 12,3 MB > 10 MB")
    assert check_upload(name="scan.pdf", size=10 * MB, head=b"%PDF-1.4") == PDF  # the limit
    with pytest.raises(UploadRefused, match=r"^Tệp quá lớn: 10,1 MB > 10 MB"):
        check_upload(name="scan.pdf", size=10 * MB + 1, head=b"%PDF-1.4")


def test_it_refuses_one_file_too_many() -> None:
    assert check_upload(name="a.pdf", size=1, head=b"%PDF-", existing_count=19) == PDF
    with pytest.raises(UploadRefused) as err:
        check_upload(name="a.pdf", size=1, head=b"%PDF-", existing_count=20)
    assert err.value.code == "too_many_files"
    assert "tối đa 20 tệp" in err.value.message


def test_it_formats_sizes_the_vietnamese_way() -> None:
    assert format_size(10 * MB) == "10 MB"
    assert format_size(int(1.26 * MB)) == "1,3 MB"
    assert format_size(int(0.5 * MB)) == "512 KB"
    assert format_size(3000) == "2,9 KB"
    assert format_size(10 * MB + 1, round_up=True) == "10,1 MB"


def test_it_masks_every_word_but_the_family_name() -> None:
    assert mask_name("Nguyễn Thị Ánh Tuyết") == "Nguyễn T** Á** T****"
    assert mask_name("Công ty TNHH An Phú") == "Công t* T*** A* P**"
    assert mask_name("Tuyết") == "T****"
    assert mask_name("  ") == ""
