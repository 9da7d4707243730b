# Warden: one Node 24 process serving OTLP/gRPC (4317), OTLP/HTTP (4318) and the REST API (4320).
# Node runs the .ts sources directly (type stripping), so there is no build stage.
FROM node:24.21.0-bookworm-slim

ENV NODE_ENV=production
WORKDIR /app

# `npm ci` refuses this lock file: it records only the chdb engine package of the platform it was
# made on (@chdb/lib-linux-x64-gnu), not the other optional platform packages, so `npm ci`
# reports the lock out of sync. `npm install` keeps the locked versions and resolves the missing
# optional entry for the build platform. --omit=dev drops test tooling and the `node@24` dev
# dependency (the base image already is Node 24).
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund \
 && npm cache clean --force

COPY src ./src
COPY semconv ./semconv

# The demo fleet of docker-compose.yml runs from this image too (`node demo/fleet-service.ts`). It
# exports through the OpenTelemetry SDK, a dev dependency of Warden, so the SDK gets a node_modules
# of its own under demo/, at the lock file's versions (demo/demo-package.ts lists them); Warden's
# tree above stays production-only.
COPY demo ./demo
# (Written aside first: Node reads demo/package.json to run the script, so it must not be empty then.)
RUN node demo/demo-package.ts > /tmp/demo-package.json \
 && mv /tmp/demo-package.json demo/package.json \
 && npm install --prefix demo --omit=dev --no-package-lock --no-audit --no-fund \
 && npm cache clean --force

# Embedded mode (no WARDEN_CLICKHOUSE_URL) keeps its ClickHouse files here; mount a volume on it.
RUN mkdir -p /var/lib/warden && chown node:node /var/lib/warden

# Inside a container the listeners must bind every interface: the 127.0.0.1 defaults would be
# reachable from nowhere but the container itself, and published ports would never connect.
ENV WARDEN_OTLP_GRPC_ADDR=0.0.0.0:4317 \
    WARDEN_OTLP_HTTP_ADDR=0.0.0.0:4318 \
    WARDEN_API_ADDR=0.0.0.0:4320 \
    WARDEN_DATA_DIR=/var/lib/warden

# The image's unprivileged user (uid 1000); nothing here needs root at run time.
USER node

EXPOSE 4317 4318 4320

# The slim image has no curl or wget: ask Node's own fetch. Liveness only (/healthz), so a
# ClickHouse outage shows in /readyz without the orchestrator killing a Warden that is buffering.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4320/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

CMD ["node", "src/cli/warden.ts", "serve"]
