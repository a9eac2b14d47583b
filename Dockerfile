FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
# PDFs carry their own font (static/fonts/); fonts-noto-cjk is only the fallback for a character it lacks.
# postgresql-client: pg_dump / pg_restore for manage.py backup and restore (the same major version as the server).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 \
    libharfbuzz-subset0 postgresql-client && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN useradd --create-home portal && mkdir -p /data/uploads /backups && chown portal /data/uploads /backups
USER portal
EXPOSE 8000
