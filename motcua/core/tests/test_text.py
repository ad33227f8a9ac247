from __future__ import annotations

from motcua.core.text import fold


def test_it_folds_vietnamese_diacritics_and_case() -> None:
    assert fold("Cấp giấy phép xây dựng") == "cap giay phep xay dung"
    assert fold("ĐĂNG KÝ  KHAI SINH") == "dang ky khai sinh"
    assert fold("Hòa") == fold("Hoà")
