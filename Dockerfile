# syntax=docker/dockerfile:1
#
# One recipe for every back-end process of twenny; build one image per process:
#
#   docker build --build-arg SERVICE=catalog-service --build-arg PORT=4002 -t twenny/catalog-service .
#   docker build --build-arg SERVICE=order-service --build-arg ENTRY=src/worker.ts \
#                --build-arg PORT=4013 -t twenny/order-worker .
#
# docker-compose.yml does this for every process. Services run their TypeScript
# directly (Node 24 type stripping): there is no compile step, so the runtime image
# is node + production node_modules + shared/ + the one service folder.
#
# The SvelteKit frontend is not built here: it gets its own Dockerfile
# (frontend/Dockerfile, referenced by docker-compose.yml) with a
# build stage (vite build, adapter-node) and a small runtime stage of its own.

ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS base
WORKDIR /app

# ---------------------------------------------------------------------------------
# manifests: only what npm needs, so the install below stays cached until a
# package.json or the lockfile changes (this stage re-runs on every source change,
# but its output, and so the next stage's cache key, does not change).
#
# devDependencies are dropped from the workspace manifests: every workspace lists
# @twenny/testing as a devDependency, and because that is itself a workspace its
# own dependencies (testcontainers, ssh2, docker-modem ...) count as production
# ones, so `--omit=dev` alone would ship them in every image (~150 packages).
# Versions still come from the lockfile, which npm ci checks.
FROM base AS manifests
COPY . .
RUN find . -type f ! -name package.json ! -name package-lock.json ! -name .npmrc -delete \
 && find . -type d -empty -delete \
 && npm pkg delete devDependencies --workspaces

# ---------------------------------------------------------------------------------
# deps: production dependencies of SERVICE and of the workspaces it uses, nothing
# else. --ignore-scripts: no production dependency needs its install script (native
# addons come as prebuilt optional packages), and it skips the root postinstall,
# which only fetches Node 24 for machines that lack it.
FROM base AS deps
ARG SERVICE
RUN test -n "$SERVICE" || { echo "build with --build-arg SERVICE=<service folder>, e.g. catalog-service" >&2; exit 1; }
COPY --from=manifests /app ./
RUN --mount=type=cache,target=/root/.npm,sharing=locked \
    npm ci --omit=dev --workspace="$SERVICE" --include-workspace-root=false \
      --ignore-scripts --no-audit --no-fund

# ---------------------------------------------------------------------------------
# runtime: small, non-root, read-only code (owned by root, run as node).
FROM base AS runtime
# Folder of the process (catalog-service, order-service ...).
ARG SERVICE
# Entry file inside it; the order worker is order-service with src/worker.ts.
ARG ENTRY=src/main.ts
# The port the process serves HTTP (and health) on. Services read PORT; the order
# worker reads WORKER_PORT (default 4013), so build it with PORT=4013.
ARG PORT
RUN test -n "$PORT" || { echo "build with --build-arg PORT=<http port>, e.g. 4002" >&2; exit 1; }

ENV NODE_ENV=production \
    PORT=${PORT} \
    TWENNY_ENTRY=${ENTRY}

# node_modules (with the @twenny/* links into shared/ and the service folder, and
# any nested workspace node_modules) comes from deps; sources from the context.
COPY --from=deps /app ./
COPY shared/ ./shared/
COPY ${SERVICE}/ ./${SERVICE}/
RUN test -f "/app/${SERVICE}/${ENTRY}" || { echo "no entry file ${SERVICE}/${ENTRY}" >&2; exit 1; }

# media-service keeps uploads under MEDIA_STORAGE_DIR; a named volume mounted here
# takes this directory's owner, so the node user can write to it.
RUN if [ "$SERVICE" = media-service ]; then mkdir -p /data/media && chown node:node /data/media; fi

USER node
WORKDIR /app/${SERVICE}
EXPOSE ${PORT}

# Liveness only (the process answers); readiness (/health/ready) checks the
# dependencies and is what compose and Kubernetes gate traffic on. No curl in slim
# images: node's fetch does it.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.WORKER_PORT || process.env.PORT) + '/health/live', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# OpenTelemetry must load before anything it instruments. `exec` makes node the
# process that receives SIGTERM (graceful shutdown), not the shell.
CMD ["sh", "-c", "exec node --import @twenny/telemetry/register \"$TWENNY_ENTRY\""]
