from django.urls import path

from canbo.cases import views
from canbo.rules import views as rules_views

app_name = "cases"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("mo/", views.CaseOpenView.as_view(), name="open"),
    path("bo-nhiem-lai/", views.TermsEndingView.as_view(), name="terms"),
    path("ngoai-le/", rules_views.ExceptionsView.as_view(), name="exceptions"),
    path("thi-diem/", views.HeadPilotView.as_view(), name="pilots"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="detail"),
    path("<int:pk>/them-nhan-su/", views.CandidateAddView.as_view(), name="candidate_add"),
    path("<int:pk>/nhan-su/<int:cand>/khai-bao/", views.DeclareView.as_view(), name="declare"),
    path("<int:pk>/nhan-su/<int:cand>/ngoai-le/", views.ExceptionView.as_view(), name="exception"),
    path("<int:pk>/chuyen-buoc/", views.StartStepsView.as_view(), name="start_steps"),
    path("<int:pk>/ghi-buoc/", views.StepView.as_view(), name="step"),
    path("<int:pk>/trinh/", views.SubmitView.as_view(), name="submit"),
    path("<int:pk>/quyet-dinh/", views.DecisionView.as_view(), name="decide"),
    path("<int:pk>/keo-dai/", views.ExtendView.as_view(), name="extend"),
    path("<int:pk>/dung/", views.StopView.as_view(), name="stop"),
    path("<int:pk>/to-trinh/", views.proposal_view, name="proposal"),
    path("<int:pk>/buoc/<int:step>/bien-ban/", views.minutes_view, name="minutes"),
]
