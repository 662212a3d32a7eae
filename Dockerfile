# syntax=docker/dockerfile:1
# The reconciler's image: docker build -t reconciler .  (docker-compose.yml builds it as well.)
# Stages: toolchain (Node + what better-sqlite3's native build needs), build (TypeScript -> dist),
# prod-deps (production node_modules, native module compiled here), runtime (no compiler, no dev
# dependencies, not root). Every stage uses the same base image, so the native module built in
# prod-deps matches the runtime's Node ABI and glibc.
ARG NODE_IMAGE=node:20-bookworm-slim

FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app

FROM toolchain AS build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
# tsconfig.json also includes test/ and bench/; they are not in the image, so tsc compiles src only.
RUN npm run build

FROM toolchain AS prod-deps
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV HOST=0.0.0.0 NODE_ENV=production DATA_DIR=/data
WORKDIR /app
# The code stays owned by root (read-only for the service); only DATA_DIR is writable by it.
# DATA_DIR holds the embedded SQLite store when MONGODB_URI is unset: mount a volume there.
RUN mkdir -p /data && chown node:node /data
COPY package.json package-lock.json ./
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist/src ./dist/src
# The unprivileged user that the official Node images ship (uid 1000).
USER node
EXPOSE 3000
# No curl in the slim image: Node's own fetch asks /readyz (store answers, worker running).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/readyz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The tracing preload must come before the service's modules load (docs/observability.md).
# main.ts handles SIGTERM itself (finishes the delivery in hand), so node can be PID 1.
CMD ["node", "--import", "./dist/src/telemetry/instrument.js", "dist/src/main.js"]
