# The sampark services: one image, the command chooses (serve, relay, projector, notifier,
# scheduler, directory load); see docker-compose.yml. Secrets come as files (/run/secrets).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1

WORKDIR /app
COPY pyproject.toml README.md requirements-production.lock ./
COPY domain ./domain
COPY projections ./projections
COPY api ./api
COPY scheduler ./scheduler
COPY infra ./infra
COPY reports ./reports
COPY assist ./assist
COPY data ./data
RUN pip install --require-hashes -r requirements-production.lock \
    && pip install --no-deps --no-build-isolation . \
    && useradd --system --uid 10001 sampark \
    && mkdir -p /var/lib/sampark/blobs \
    && chown -R sampark /var/lib/sampark

USER sampark
ENV SAMPARK_HOME=/var/lib/sampark \
    SAMPARK_BLOB_DIR=/var/lib/sampark/blobs \
    SAMPARK_HOST=0.0.0.0 \
    SAMPARK_PORT=8000
EXPOSE 8000
CMD ["sampark", "serve"]
