"""Saved lists (the list itself lives at /can-bo/)."""

from django.urls import path

from canbo.lists import views

app_name = "lists"
urlpatterns = [
    path("", views.SavedListsView.as_view(), name="saved"),
    path("<int:pk>/", views.SavedListOpenView.as_view(), name="open"),
    path("<int:pk>/xoa/", views.SavedListDeleteView.as_view(), name="delete"),
]
