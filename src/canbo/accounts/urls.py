"""Account pages under /tai-khoan/."""

from django.urls import path

from canbo.accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.my_account, name="me"),
    path("doi-mat-khau/", views.PasswordChangeView.as_view(), name="password"),
    path("nguoi-dung/", views.user_list, name="users"),
    path("nguoi-dung/them/", views.UserCreateView.as_view(), name="user_create"),
    path("nguoi-dung/<int:pk>/", views.user_detail, name="user"),
    path("nguoi-dung/<int:pk>/cap-quyen/", views.GrantAddView.as_view(), name="grant_add"),
    path("nguoi-dung/<int:pk>/dat-lai-mat-khau/", views.PasswordResetView.as_view(), name="password_reset"),
    path("nguoi-dung/<int:pk>/ngoai-le/", views.ExceptionRightView.as_view(), name="exception_right"),
    path("nguoi-dung/<int:pk>/khoa/", views.DeactivateView.as_view(), name="deactivate"),
    path("nguoi-dung/<int:pk>/mo-khoa/", views.ActivateView.as_view(), name="activate"),
    path("nguoi-dung/<int:pk>/xac-thuc-hai-buoc/", views.TotpResetView.as_view(), name="totp_reset"),
    path("nguoi-dung/<int:pk>/ma-api/", views.ApiTokenCreateView.as_view(), name="token_create"),
    path("ma-api/<int:pk>/thu-hoi/", views.ApiTokenRevokeView.as_view(), name="token_revoke"),
    path("quyen/<int:pk>/thu-hoi/", views.GrantRevokeView.as_view(), name="grant_revoke"),
]
