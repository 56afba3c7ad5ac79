"""Pages of the indicators app."""

from django.urls import URLPattern

app_name = "indicators"

urlpatterns: list[URLPattern] = []
