from django.urls import path

from canbo.people import views

# The list of persons ("people:list", "people:export") is the lists app's page: the project's
# urls.py adds it to this namespace, so people does not import lists.
app_name = "people"
urlpatterns = [
    path("them/", views.PersonEditView.as_view(), name="create"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="detail"),
    path("<int:pk>/sua/", views.PersonEditView.as_view(), name="edit"),
    path("<int:pk>/lich-su/", views.PersonHistoryView.as_view(), name="history"),
    path("<int:pk>/ai-da-xem/", views.PersonReadsView.as_view(), name="reads"),
    path("<int:pk>/tai-lieu/<int:item>/tep/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("<int:pk>/<slug:slug>/them/", views.SectionEditView.as_view(), name="section_add"),
    path("<int:pk>/<slug:slug>/<int:item>/sua/", views.SectionEditView.as_view(), name="section_edit"),
    path("<int:pk>/<slug:slug>/<int:item>/xoa/", views.SectionDeleteView.as_view(), name="section_delete"),
]
