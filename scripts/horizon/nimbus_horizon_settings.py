"""Django settings for Debian's Horizon (openstack-dashboard) pointed at a Nimbus.

scripts/horizon/run.sh puts this directory on PYTHONPATH and sets
DJANGO_SETTINGS_MODULE=nimbus_horizon_settings. Horizon's own settings (with
Debian's /etc/openstack-dashboard/local_settings.py and its offline-compressed
static files) load first; only what pointing it at Nimbus needs is overridden,
from the environment run.sh sets.
"""
import os

from openstack_dashboard.settings import *  # noqa: F401,F403

# Nimbus serves Keystone under /identity, as DevStack does.
OPENSTACK_KEYSTONE_URL = os.environ["NIMBUS_HORIZON_KEYSTONE_URL"]
OPENSTACK_API_VERSIONS = {"identity": 3, "image": 2, "volume": 3, "compute": 2}
OPENSTACK_KEYSTONE_DEFAULT_DOMAIN = "Default"
OPENSTACK_KEYSTONE_DEFAULT_ROLE = "member"
OPENSTACK_ENDPOINT_TYPE = "publicURL"

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

# One runserver process: sessions in its local memory, no memcached to run.
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Plain http on loopback: cookies must not be marked secure.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

SECRET_KEY = os.environ["NIMBUS_HORIZON_SECRET_KEY"]

# Errors of the API calls Horizon makes go to its stderr (run.sh's log file).
LOGGING["handlers"]["console"]["level"] = "INFO"  # noqa: F405

ROOT_URLCONF = "nimbus_horizon_urls"
