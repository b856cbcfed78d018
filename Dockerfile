# One image for every role (web, worker, beat, migrate); docker-compose.yml picks the command.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# Tesseract reads text from scanned documents and images (documents app, in the worker);
# DejaVu gives generated PDFs every alphabet.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files are collected at build time; DEBUG only lets settings load without secrets.
RUN DEBUG=true ENV_FILE= python manage.py collectstatic --noinput --verbosity 0 \
    && mkdir -p var/media downloads/cvs \
    && chown -R app:app downloads var

USER app
EXPOSE 8000
# Threads let a worker serve other requests while one waits on the database (webhooks commit
# each delivery before answering): bench/webhook_ingest.py measures this layout.
CMD ["gunicorn", "crm_site.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--worker-class", "gthread", \
     "--threads", "8", "--access-logfile", "-", "--no-control-socket"]
