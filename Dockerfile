# Guichet production image: one image for every role (web, worker, beat, migrate);
# docker-compose.yml picks the command. Build: docker build -t guichet .
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv \
    PATH=/app/.venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production

# System libraries: éditique's WeasyPrint lays out PDFs with Pango and the DejaVu fonts
# the templates' CSS names (psycopg[binary] ships libpq).
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# uv from PyPI, then the locked dependencies (without the dev group) in their own
# layer, so a code change does not reinstall them.
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
RUN uv sync --frozen --no-dev

# Static files are collected at build time with the production settings (hashed names,
# compressed, served by WhiteNoise). Production settings refuse to load without a
# SECRET_KEY and a DATABASE_URL: these dummies exist only for this step (no database
# is reached) and are not kept in the image.
RUN SECRET_KEY=build-only-collectstatic-not-a-secret \
    DATABASE_URL=postgres://build:build@127.0.0.1:5432/build \
    python manage.py collectstatic --noinput

# Run as an unprivileged user; uploaded files go to /app/var/media (a volume).
RUN useradd --system --create-home --home-dir /home/guichet guichet \
    && mkdir -p /app/var/media \
    && chown -R guichet:guichet /app/var/media
USER guichet

EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
