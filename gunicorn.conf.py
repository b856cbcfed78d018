"""gunicorn's settings for every way the web process starts (`make run`'s Procfile, the Docker
image, the tests): gunicorn reads ./gunicorn.conf.py by itself.

The access log leaves query strings out: a Zoho workflow may carry the webhook secret as
`?token=`, and a secret never belongs in a log. The path, method, status, size and timing stay.
"""

access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'
