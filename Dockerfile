# prfaq: one image for every role. The default command serves the web app with
# gunicorn; docker-compose.yml reuses the image for migrate, worker and beat.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Unprivileged runtime user (Celery also refuses to run as root).
RUN useradd --system --create-home --home-dir /home/app --uid 10001 app

WORKDIR /app

# Dependencies first, read straight from pyproject.toml, so this slow layer is
# rebuilt only when pyproject.toml changes, not on every source edit.
# (README.md* is optional: the glob lets the build work with or without it.)
COPY pyproject.toml README.md* ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Then the project itself. setuptools discovers prfaq*, accounts*, reviews*, so
# those directories must be present before `pip install .`.
COPY manage.py ./
COPY prfaq ./prfaq
COPY accounts ./accounts
COPY reviews ./reviews
RUN pip install --no-cache-dir --no-deps . \
    && rm -rf build *.egg-info

# Settings read templates/ and static/ relative to the source tree (BASE_DIR).
COPY templates ./templates
COPY static ./static

# Hashed, compressed static files for WhiteNoise, baked into the image.
# With DEBUG off settings refuse to load without SECRET_KEY and ALLOWED_HOSTS;
# these throwaway values exist only for this RUN line and are not kept in the image.
RUN DEBUG=0 SECRET_KEY=build-only ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

# Import this tree, not the site-packages copy, from any entry point and any
# working directory: settings find templates/ and staticfiles/ relative to
# prfaq/settings.py, so both copies must not be mixed.
ENV PYTHONPATH=/app

# The code stays root-owned and read-only to the app user.
USER app

EXPOSE 8000

# No curl in slim images, so probe with urllib. The Host header is the first
# ALLOWED_HOSTS entry (Django answers 400 to a host it does not serve), and
# X-Forwarded-Proto keeps SECURE_SSL_REDIRECT from bouncing the probe to https
# when BEHIND_TLS_PROXY=1. Any error, non-2xx status or timeout fails the check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request as u; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('.'); h = h if h not in ('', '*') else 'localhost'; u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h, 'X-Forwarded-Proto': 'https'}), timeout=4)"

CMD ["gunicorn", "prfaq.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-", "--logger-class", "prfaq.gunicorn_logging.RedactingLogger"]
