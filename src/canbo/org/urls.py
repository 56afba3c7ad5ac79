from django.urls import path

from canbo.org import views, views_job_positions, views_posts, views_titles, views_units

app_name = "org"
urlpatterns = [
    path("", views.UnitTreeView.as_view(), name="tree"),
    path("chon/", views.unit_pick, name="pick"),
    path("chon-dia-ban/", views.area_pick, name="pick_area"),
    path("them-don-vi-goc/", views_units.RootCreateView.as_view(), name="root_create"),
    path("chuc-danh/", views_titles.title_list, name="titles"),
    path("chuc-danh/them/", views_titles.TitleEditView.as_view(), name="title_create"),
    path("chuc-danh/<int:pk>/sua/", views_titles.TitleEditView.as_view(), name="title_edit"),
    path("vi-tri-viec-lam/", views_job_positions.job_position_list, name="job_positions"),
    path(
        "vi-tri-viec-lam/them/", views_job_positions.JobPositionEditView.as_view(), name="job_position_create"
    ),
    path(
        "vi-tri-viec-lam/<int:pk>/sua/",
        views_job_positions.JobPositionEditView.as_view(),
        name="job_position_edit",
    ),
    path("vi-tri/", views_posts.VacanciesView.as_view(), name="vacancies"),
    path("vi-tri/<int:pk>/sua/", views_posts.PostEditView.as_view(), name="post_edit"),
    path("bien-che/", views_posts.QuotasView.as_view(), name="quotas"),
    path("<int:pk>/", views.UnitDetailView.as_view(), name="unit"),
    path("<int:pk>/con/", views.unit_children, name="children"),
    path("<int:pk>/them-don-vi/", views_units.UnitCreateView.as_view(), name="unit_create"),
    path("<int:pk>/dinh-chinh/", views_units.UnitCorrectView.as_view(), name="unit_correct"),
    path("<int:pk>/them-vi-tri/", views_posts.PostCreateView.as_view(), name="post_create"),
    path("<int:pk>/giao-bien-che/", views_posts.QuotaSetView.as_view(), name="quota_set"),
    path("<int:pk>/sap-xep/<slug:op>/", views_units.RestructureView.as_view(), name="restructure"),
]
