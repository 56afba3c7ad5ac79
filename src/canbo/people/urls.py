from django.urls import path

from canbo.lists import views as list_views
from canbo.people import views

app_name = "people"
urlpatterns = [
    path("", list_views.PersonListView.as_view(), name="list"),
    path("xuat-excel/", list_views.ExportView.as_view(), name="export"),
    path("them/", views.PersonEditView.as_view(), name="create"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="detail"),
    path("<int:pk>/sua/", views.PersonEditView.as_view(), name="edit"),
    path("<int:pk>/lich-su/", views.PersonHistoryView.as_view(), name="history"),
    path("<int:pk>/tai-lieu/<int:item>/tep/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("<int:pk>/<slug:slug>/them/", views.SectionEditView.as_view(), name="section_add"),
    path("<int:pk>/<slug:slug>/<int:item>/sua/", views.SectionEditView.as_view(), name="section_edit"),
    path("<int:pk>/<slug:slug>/<int:item>/xoa/", views.SectionDeleteView.as_view(), name="section_delete"),
]
