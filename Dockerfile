# CQM Portal: one image for the web server (gunicorn), the Celery worker and Celery beat.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    CQM_VAR_DIR=/app/var \
    DJANGO_MEDIA_ROOT=/app/media

# WeasyPrint renders PDFs with Pango; fonts-dejavu-core gives it a font that is always there.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system cqm && useradd --system --gid cqm --home-dir /app --shell /usr/sbin/nologin cqm

WORKDIR /app
COPY . .
# The dependencies are the locked, hash-checked set CI tests (requirements/lock.txt); the code
# runs from /app (PYTHONPATH), next to the templates and static files it reads.
RUN pip install --require-hashes -r requirements/lock.txt \
    && pip install --no-deps . && pip check && rm -rf build *.egg-info

# Static files are collected once, at build time, and served by whitenoise from the image.
# The throw-away key only lets the settings load; the real one comes from the environment.
RUN DJANGO_DEBUG=0 DJANGO_SECRET_KEY=collectstatic-only-not-a-runtime-key \
    python manage.py collectstatic --noinput -v0 \
    && mkdir -p /app/media \
    && chown -R cqm:cqm /app/var /app/media

USER cqm
EXPOSE 8000
# gunicorn.conf.py: workers (WEB_CONCURRENCY, default 2 × cores + 1), timeout, worker recycling.
CMD ["gunicorn", "cqm_portal.wsgi", "--config", "gunicorn.conf.py"]
