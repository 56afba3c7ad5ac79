"""Pages of the plans app (/ke-hoach/)."""

from django.urls import URLPattern, path

from canbo.plans import views

app_name = "plans"

urlpatterns: list[URLPattern] = [
    path("", views.plan_list, name="list"),
    path("moi/", views.plan_create, name="create"),
    path("moi/tu-van-ban/", views.plan_create_from_text, name="create_from_text"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/sua/", views.plan_edit, name="edit"),
    path("<int:pk>/trich/", views.plan_extract, name="extract"),
    path("<int:pk>/ky-bao-cao/moi/", views.period_create, name="period_create"),
    path("nhiem-vu/<int:pk>/", views.task_detail, name="task"),
    path("nhiem-vu/<int:pk>/tep/", views.task_evidence, name="evidence"),
    path("ky-bao-cao/<int:pk>/", views.period_detail, name="period"),
    path("ky-bao-cao/<int:pk>/<str:fmt>/", views.period_export, name="period_export"),
    path("don-vi/<int:pk>/", views.unit_dashboard, name="unit"),
]
