from __future__ import annotations

import factory

from motcua.units.models import AdministrativeUnit, Agency, AgencyLevel, UnitLevel


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit
        django_get_or_create = ("code",)

    code = "66"
    name = "Tỉnh Đắk Lắk"
    unit_type = "Tỉnh"
    level = UnitLevel.PROVINCE


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdministrativeUnit

    code = factory.Sequence(lambda n: f"9{n:04d}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    unit_type = "Xã"
    level = UnitLevel.COMMUNE
    parent = factory.SubFactory(ProvinceFactory)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    # 9NN.99.NN.H16: valid QCVN 102:2016 codes that never collide with the demo's 000.00.NN.H16.
    code = factory.Sequence(lambda n: f"9{n // 100 % 100:02d}.99.{n % 100:02d}.H16")
    name = factory.Sequence(lambda n: f"Cơ quan thử nghiệm {n}")
    level = AgencyLevel.PROVINCE
    unit = factory.SubFactory(ProvinceFactory)
    has_one_stop_desk = True
