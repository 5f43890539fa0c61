"""gunicorn settings for vitaal app servers (docs/deployment.md).

Used as ``gunicorn vitaal.wsgi --config /srv/vitaal/ops/gunicorn.conf.py``. The numbers can
be changed per machine through the environment file, without editing this file.
"""

import multiprocessing
import os

# On the proxy's machine: 127.0.0.1:8000. On an app server behind a separate proxy: the
# server's internal address, with the firewall open to the proxy only.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: the application does no long polling; reports and imports that take
# longer go to the task worker.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that slow memory growth never accumulates.
max_requests = 2000
max_requests_jitter = 200
# Not preloaded: `systemctl reload vitaal-web` (SIGHUP) then starts workers on the new code.
preload_app = False
# The proxy's addresses, whose X-Forwarded-Proto gunicorn may believe.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Survey respondent pages are logged without address, user agent and query
# (ops/gunicorn_logging.py, docs/surveys.md "Anonymity").
logger_class = "ops.gunicorn_logging.RespondentPrivateLogger"
# The client address as the proxy saw it, not the proxy's own.
access_log_format = '%({x-real-ip}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
