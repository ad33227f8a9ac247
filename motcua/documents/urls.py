from __future__ import annotations

from django.urls import path

from motcua.documents import views

app_name = "documents"
urlpatterns = [
    path("xac-thuc/<str:token>/", views.verify, name="verify"),
    path("tai-lieu/", views.my_documents, name="mine"),
    path("tai-lieu/<int:pk>/tai-ve/", views.download, name="download"),
    path("tai-lieu/ket-qua/<str:code>/phat-hanh/", views.issue_eresult, name="issue_eresult"),
]
