# syntax=docker/dockerfile:1
# Multi-stage build: compile TypeScript (and the hnswlib-node addon) in a full image, run as non-root.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# hnswlib-node compiles a native addon at install time.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# npm install follows the lock file; npm ci would refuse it (see README: optional platform builds).
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY knowledge ./knowledge
COPY prompts ./prompts
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/knowledge ./knowledge
COPY --from=build --chown=node:node /app/prompts ./prompts
COPY --from=build --chown=node:node /app/src/widget/public ./src/widget/public
COPY --from=build --chown=node:node /app/src/admin/public ./src/admin/public
# DATA_DIR (./data): the operator review's local store when there is no Redis; mount a volume here to keep it.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/src/server.js"]
