"""Pages of the plans app (/ke-hoach/): one URL per page and per write action."""

from django.urls import URLPattern, path

from canbo.plans.views import plans, reports, tasks, text

app_name = "plans"

urlpatterns: list[URLPattern] = [
    path("", plans.plan_list, name="list"),
    path("moi/", plans.PlanCreateView.as_view(), name="create"),
    path("moi/tu-van-ban/", text.PlanFromTextView.as_view(), name="create_from_text"),
    path("<int:pk>/", plans.plan_detail, name="detail"),
    path("<int:pk>/sua/", plans.PlanEditView.as_view(), name="edit"),
    path("<int:pk>/trich/", text.PlanExtractView.as_view(), name="extract"),
    path("<int:pk>/ky-bao-cao/moi/", reports.PeriodCreateView.as_view(), name="period_create"),
    path("nhiem-vu/<int:pk>/", tasks.task_detail, name="task"),
    path("nhiem-vu/<int:pk>/tinh-trang/", tasks.TaskStatusView.as_view(), name="task_status"),
    path("nhiem-vu/<int:pk>/sua/", tasks.TaskEditView.as_view(), name="task_edit"),
    path("nhiem-vu/<int:pk>/xoa/", tasks.TaskDeleteView.as_view(), name="task_delete"),
    path("nhiem-vu/<int:pk>/dieu-kien/", tasks.TaskConditionView.as_view(), name="task_condition"),
    path("nhiem-vu/<int:pk>/lan-den-han/<int:occ>/", tasks.OccurrenceView.as_view(), name="task_occurrence"),
    path("nhiem-vu/<int:pk>/tep/", tasks.task_evidence, name="evidence"),
    path("ky-bao-cao/<int:pk>/", reports.PeriodView.as_view(), name="period"),
    path("ky-bao-cao/<int:pk>/<str:fmt>/", reports.period_export, name="period_export"),
    path("don-vi/<int:pk>/", plans.unit_dashboard, name="unit"),
]
