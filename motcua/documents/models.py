"""Stored documents: scans of dossier components, e-results, and the citizen data store.

The **citizen data store** (kho dữ liệu, DESIGN §3.6) is every document whose
``owner_identifier`` is a citizen ID or tax code: later dossiers of the same owner reuse them
instead of asking again (``services.document_reuse`` makes a new row pointing at the same file).
Written only through ``motcua.documents.services``.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    COMPONENT = "component", _("Thành phần hồ sơ")
    ERESULT = "eresult", _("Kết quả điện tử")
    OTHER = "other", _("Tài liệu khác")


def storage_path(instance: Any, filename: str) -> str:
    """``documents/2026/03/<uuid>.<ext>``: never the uploader's file name (it is kept in
    ``original_name``), the extension of the detected type."""
    ext = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    now = timezone.localtime()
    return f"documents/{now:%Y/%m}/{uuid.uuid4().hex}.{ext}"


class StoredDocument(models.Model):
    file = models.FileField(_("tệp"), upload_to=storage_path, max_length=255)
    title = models.CharField(_("tên tài liệu"), max_length=500, blank=True)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255)
    content_type = models.CharField(_("loại nội dung"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    kind = models.CharField(
        _("loại tài liệu"), max_length=10, choices=DocumentKind.choices, default=DocumentKind.OTHER
    )
    # Citizen ID (12 digits) or tax code of the person/organisation it belongs to; "" if none.
    owner_identifier = models.CharField(
        _("chủ sở hữu (số định danh/MST)"), max_length=20, blank=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"))
    valid_from = models.DateField(_("có hiệu lực từ"), null=True, blank=True)
    valid_until = models.DateField(_("có hiệu lực đến"), null=True, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    component = models.ForeignKey(
        "catalog.Component", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Set on a row made by reuse: the data-store document it copies (same file, same checksum).
    reused_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reuses"
    )
    # E-results only: the public verification token (/xac-thuc/<token>/).
    verify_token = models.CharField(max_length=64, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")
        ordering = ["-uploaded_at", "-pk"]
        indexes = [
            models.Index(
                fields=["owner_identifier", "-uploaded_at"],
                name="document_owner_idx",
                condition=Q(reused_from__isnull=True) & ~Q(owner_identifier=""),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="document_validity_order",
            ),
            models.CheckConstraint(
                condition=Q(kind="eresult") | Q(verify_token__isnull=True),
                name="document_token_only_eresult",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.original_name
