# Production image: gunicorn serving Django (static files through WhiteNoise), the same image
# runs the Celery worker and beat. Dependencies come from the hash-locked requirements.lock.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=shijiazhuang_sr.settings

WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements.lock \
    && useradd --system --home /app --uid 1000 sjs

COPY . .
# collectstatic needs settings that load; the real SECRET_KEY comes from the environment.
RUN DEBUG=0 SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown -R sjs /app/media

USER sjs
EXPOSE 8000
CMD ["gunicorn", "shijiazhuang_sr.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--workers", "3", "--timeout", "120", "--access-logfile", "-"]
