from django.contrib.auth import views as auth_views
from django.urls import path

from jamsos.web import registration, simulator, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("pemberi-kerja/", views.employer_list, name="employers"),
    path("pemberi-kerja/<int:employer_id>/", views.employer_detail, name="employer"),
    path(
        "pemberi-kerja/<int:employer_id>/verifikasi/",
        views.employer_verify_view,
        name="employer_verify",
    ),
    path("audit/", views.audit_list, name="audit"),
    path("simulasi/iuran/", simulator.simulate_contribution_page, name="simulate_contribution"),
    path("simulasi/manfaat/", simulator.simulate_benefit_page, name="simulate_benefit"),
    path("daftar/", registration.bpu_registration_page, name="bpu_register"),
    path("daftar/<str:kpj>/verifikasi/", registration.bpu_verify_page, name="bpu_verify"),
]
