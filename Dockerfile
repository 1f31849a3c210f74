# syntax=docker/dockerfile:1
# One image for every service of the hub: HUB_SERVICE (or the container's first argument) chooses
# gateway, partners, knowledge, projects or communications. Production runs the bundles that
# `npm run build` makes with plain node on a production install: no TypeScript, no build tools, no
# IDE packages at run time. The files the image holds are staged by infra/build/image.ts; the
# production-install test (test/e2e/production-install.e2e.test.ts) reads this file and runs its
# install, entry and health check commands as written here.
#   docker build -t clusterpolisee-hub .
#   docker run --read-only --tmpfs /tmp -e HUB_SERVICE=partners -e MONGODB_URI=... clusterpolisee-hub

ARG NODE_IMAGE=node:24.22.3-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY . .
# The whole install (TypeScript, esbuild, the IDE's packages) for the build only.
RUN npm ci --no-audit --no-fund \
 && npm run build \
 && npx --no-install tsx infra/build/image.ts /image

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    GATEWAY_PORT=4000 \
    PORT=4001
WORKDIR /app
# The manifests first, so that a change of code reuses the installed dependencies' layer. Install
# scripts do not run: nothing the services need has one, and none should run in the image.
COPY --from=build /image/manifests/ ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts \
 && npm cache clean --force
COPY --from=build /image/app/ ./
# Owned by root and only readable to the service: it writes nowhere but /tmp, so the root file
# system can be read-only (mount a tmpfs on /tmp). The node image's unprivileged user, by number,
# so that Kubernetes' runAsNonRoot can check it.
USER 1000:1000
# The gateway's port and every subgraph's.
EXPOSE 4000 4001
# GET /health on the chosen service's port, with node itself: slim images have no curl.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "infra/dist/healthcheck.js"]
ENTRYPOINT ["node", "infra/dist/hub.js"]
