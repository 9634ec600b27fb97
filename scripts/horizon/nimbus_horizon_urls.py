"""Horizon's URLs plus its collected static files, which Debian's Apache config serves
(Alias /static /var/lib/openstack-dashboard/static) and runserver does not with DEBUG off."""
from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from openstack_dashboard.urls import urlpatterns as horizon_urlpatterns

urlpatterns = [
    re_path(r"^static/(?P<path>.*)$", serve, {"document_root": settings.STATIC_ROOT}),
    *horizon_urlpatterns,
]
