"""The dossier's sections and the person page's panels come from the apps that keep them, each
registered in its ``AppConfig.ready()``; people imports none of those apps (core/tests/test_layers.py)."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import ImproperlyConfigured

from canbo.people.panels import HEAD, MAIN, registered_panels
from canbo.people.sections import BY_MODEL, BY_SLUG, SECTIONS, SectionRegistry


def test_sections_keep_their_place_on_the_page_whoever_registers_them() -> None:
    assert [(s.slug, s.model._meta.app_label) for s in SECTIONS] == [
        ("tuyen-dung-nghi-huu", "people"),
        ("chuc-vu", "careers"),
        ("cap-uy-hdnd", "careers"),
        ("trinh-do", "people"),
        ("dang-tich", "people"),
        ("qua-trinh-cong-tac", "people"),
        ("dien-bien-luong", "salary"),
        ("khen-thuong", "assessment"),
        ("ky-luat", "assessment"),
        ("danh-gia", "assessment"),
        ("tin-nhiem", "assessment"),
        ("suc-khoe", "people"),
        ("gia-dinh", "people"),
        ("lich-su-ban-than", "people"),
        ("tieu-chuan-chinh-tri", "assessment"),
        ("tai-san", "people"),
        ("tai-lieu", "people"),
    ]
    assert set(BY_SLUG) == {s.slug for s in SECTIONS} and set(BY_MODEL) == {s.model for s in SECTIONS}


def test_a_section_is_registered_once() -> None:
    registry = SectionRegistry()
    spec = SECTIONS[0]
    registry.register(spec, spec)  # the same entry again (a ready() run twice): no change
    assert list(registry) == [spec]
    with pytest.raises(ImproperlyConfigured):
        registry.register(dataclasses.replace(spec, title="Another"))


def test_panels_of_the_person_page() -> None:
    panels = registered_panels()
    assert [(p.key, sorted(p.templates)) for p in panels] == [
        ("rules", [MAIN]),
        ("planning", [MAIN]),
        ("careers", [HEAD, MAIN]),
    ]
