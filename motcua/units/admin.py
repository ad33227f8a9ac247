from __future__ import annotations

from django.contrib import admin

from motcua.units.models import AdministrativeUnit, Agency, UnitSuccession


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin[AdministrativeUnit]):
    list_display = ("code", "name", "unit_type", "level", "parent", "valid_from", "valid_to")
    list_filter = ("level", "unit_type", "valid_to", "valid_from")
    search_fields = ("code", "name")
    raw_id_fields = ("parent",)
    list_select_related = ("parent",)


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(admin.ModelAdmin[UnitSuccession]):
    list_display = ("predecessor", "successor", "change", "effective_on")
    list_filter = ("change", "effective_on")
    search_fields = ("predecessor__code", "predecessor__name", "successor__code", "successor__name")
    raw_id_fields = ("predecessor", "successor")
    list_select_related = ("predecessor", "successor")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ("code", "name", "level", "unit", "parent", "has_one_stop_desk", "is_active")
    list_filter = ("level", "has_one_stop_desk", "is_active")
    search_fields = ("code", "name", "short_name", "search_key")
    raw_id_fields = ("parent", "unit")
    list_select_related = ("unit", "parent")
