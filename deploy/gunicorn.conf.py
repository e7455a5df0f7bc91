"""Settings of the HTTP processes: `gunicorn -c deploy/gunicorn.conf.py` (deploy/README.md).

Plain HTTP runs under WSGI: bench/load.py measured gunicorn's threaded workers at 1.5x daphne's
requests/s on the same machine, with a lower p99 (the views are synchronous; under ASGI each
request hops to a thread of its own). WebSockets stay on daphne (the socket processes).
"""

import os

wsgi_app = "config.wsgi:application"
bind = os.environ.get("PANDU_WEB_BIND", "127.0.0.1:8001")
# One process per core; threads overlap a request's database and Redis waits with others'.
workers = int(os.environ.get("PANDU_WEB_WORKERS", str(os.cpu_count() or 1)))
worker_class = "gthread"
threads = int(os.environ.get("PANDU_WEB_THREADS", "4"))
# A worker that stops answering its heartbeat this long is restarted; a long download does not
# count (the threads serve it while the worker keeps answering).
timeout = 60
graceful_timeout = 30
# Behind the proxy: its access log is the one to keep.
accesslog = None
