from django.urls import include, path

from jamsos.api.urls import api
from jamsos.web.metrics import metrics_view
from jamsos.web.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("jamsos.web.urls")),
]
