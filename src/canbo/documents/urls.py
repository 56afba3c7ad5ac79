from django.urls import path

from canbo.documents import views

app_name = "documents"
urlpatterns = [
    path("so-yeu-ly-lich/<int:pk>/", views.resume, name="resume"),
    path("so-yeu-ly-lich/<int:pk>/tai/", views.resume_file, name="resume_file"),
    path("so-yeu-ly-lich/goi/", views.batch_create, name="batch_create"),
    path("so-yeu-ly-lich/goi/<int:pk>/", views.batch, name="batch"),
    path("so-yeu-ly-lich/goi/<int:pk>/tai/", views.batch_file, name="batch_file"),
    path("mau/", views.templates, name="templates"),
    path("mau/<str:form>/<int:version>/tai/", views.template_file, name="template_file"),
    path("mau/<str:form>/tai-len/", views.template_upload, name="template_upload"),
    path("mau/<str:form>/<int:version>/khoi-phuc/", views.template_restore, name="template_restore"),
]
