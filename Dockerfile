# syntax=docker/dockerfile:1
# One image per service:   docker build --build-arg SERVICE=scheduler -t junction/scheduler .
# The vendor simulators:    docker build --target sandbox -t junction/sandbox .   (with the demo's seeding script)
ARG NODE_IMAGE=node:20-bookworm-slim

# Only the manifests npm needs, so the dependency layers below are rebuilt only when a manifest changes.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /manifests \
 && cp package.json package-lock.json /manifests/ \
 && for manifest in libs/*/package.json services/*/package.json sandboxes/*/package.json; do \
      [ -f "$manifest" ] || continue; \
      mkdir -p "/manifests/$(dirname "$manifest")" && cp "$manifest" "/manifests/$manifest"; \
    done

# Compiles every project once; each service image takes what it needs from here.
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN NX_DAEMON=false NX_NO_CLOUD=true npx nx run-many -t build --outputStyle=static \
 && mkdir -p /out \
 && for project in libs/* services/* sandboxes/*; do \
      [ -d "$project/dist" ] || continue; \
      mkdir -p "/out/$project" && cp -r "$project/dist" "/out/$project/dist"; \
    done \
 && find /out -name '*.tsbuildinfo' -delete

# Production dependencies only. Install scripts are skipped: no runtime dependency needs one, and the image
# should not run code from the registry at build time.
FROM ${NODE_IMAGE} AS runtime-deps
ENV NODE_ENV=production
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && rm -rf /root/.npm

# The vendor simulators for the demo stack; the vendor is the first argument (see docker-compose.yml). The demo's
# seeding script rides along (the compose service `seed`).
FROM runtime-deps AS sandbox
COPY --from=build /out/sandboxes/ ./sandboxes/
COPY tools/sandbox.mjs ./tools/sandbox.mjs
COPY tools/demo-seed.mjs ./tools/demo-seed.mjs
USER 1000:1000
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "tools/sandbox.mjs", "--host", "0.0.0.0", "--port", "8080"]

# A Junction service (the default target).
FROM runtime-deps AS service
ARG SERVICE
RUN test -n "$SERVICE" || { echo 'build with --build-arg SERVICE=<a folder of services/>' >&2; exit 1; }
COPY --from=build /out/libs/ ./libs/
COPY --from=build /out/services/${SERVICE}/dist/ ./services/${SERVICE}/dist/
# A fixed entry point, so CMD needs no shell to expand $SERVICE: Node resolves the link to the real file, and
# the service's relative imports with it.
RUN ln -s "services/${SERVICE}/dist/main.js" main.js
LABEL org.opencontainers.image.title="junction-${SERVICE}"
# The memory settings of deploy/service-env.json (a check keeps the two equal): a young generation of 2 MB semi-spaces
# and an old generation capped at 256 MB, which also makes V8 collect before the heap doubles, and two malloc arenas.
# Every service then peaks at about 135 MB instead of 160-245, for no measurable CPU (docs/performance.md).
ENV NODE_OPTIONS="--max-semi-space-size=2 --max-old-space-size=256" MALLOC_ARENA_MAX=2
# Runs as the image's unprivileged `node` user; nothing is written outside /tmp, so the root filesystem can be
# mounted read-only.
USER 1000:1000
EXPOSE 8080
# runService drains NATS consumers and closes Postgres on SIGTERM.
STOPSIGNAL SIGTERM
CMD ["node", "main.js"]
