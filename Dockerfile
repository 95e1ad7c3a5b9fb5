# The self-hosted web service in a container (README, "Hosting the web service").
#   docker build -t ankle-coach .
#   docker run -d --name ankle-coach --env-file .env -p 127.0.0.1:8000:8000 \
#     -v ankle-coach-data:/data ankle-coach
# TLS is terminated in front of it (hosting/Caddyfile). Not built on the machine this was
# written on (no container engine there); tests/test_hosting.py checks it statically and runs
# its command and health check outside a container.

FROM python:3.13-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY skill ./skill
RUN pip install --no-cache-dir --no-compile --prefix=/install . \
    && find /install -name '__pycache__' -prune -exec rm -rf {} +

FROM python:3.13-slim
ENV PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    WORKERS=4 \
    ANKLE_COACH_DATA_DIR=/data
COPY --from=build /install /usr/local
RUN python -m compileall -q /usr/local/lib/python3.13/site-packages \
    && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin ankle \
    && mkdir -p /data && chown ankle:ankle /data
# Progress (SQLite) lives here: keep it on a volume so it survives a new image.
VOLUME ["/data"]
WORKDIR /data
USER ankle
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8000'), timeout=2)"]
CMD ["sh", "-c", "exec gunicorn --workers \"$WORKERS\" --bind \"$HOST:$PORT\" 'skill.web:create_app()'"]
