"""The header's "Hôm nay" link resets the as-of date and keeps the page's other parameters."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse


def test_reset_link_keeps_the_other_parameters(users: dict) -> None:
    # A page whose other parameters are required (the units behind an indicator) answered 400
    # after "Hôm nay" because the link was a bare "?ngay=hom-nay".
    c = Client()
    c.force_login(users["officer_a"])
    r = c.get(reverse("people:list"), {"q": "Nguyễn", "ngay": "11/12/2020", "trang": "2"})
    link = re.search(r'class="asof-reset" href="([^"]*)"', r.content.decode())
    assert link is not None
    href = link.group(1).replace("&amp;", "&")
    assert "ngay=hom-nay" in href
    assert "q=Nguy" in href
    assert "trang=" not in href


def test_the_date_form_keeps_every_value_of_a_repeated_parameter(users: dict) -> None:
    # A list filtered on two title groups lost one of them when the officer changed the date.
    c = Client()
    c.force_login(users["officer_a"])
    r = c.get(reverse("people:list") + "?nhom=a&nhom=b&ngay=11/12/2020")
    form = r.content.decode().split('<form class="asof"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="nhom" value="a">' in form
    assert '<input type="hidden" name="nhom" value="b">' in form
