# syntax=docker/dockerfile:1
# Three stages on the current Node LTS: compile TypeScript and build the search index with every
# dependency; install production dependencies alone; run those as a non-root user.

FROM node:24-bookworm-slim AS toolchain
# hnswlib-node compiles a native addon at install time.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY knowledge ./knowledge
COPY prompts ./prompts
COPY scripts/kb-build.ts ./scripts/kb-build.ts
# The built index ships in the image, so a container reads it instead of rebuilding at start.
RUN npm run build && npm run kb:build

FROM toolchain AS production-dependencies
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
# Code and data belong to root and are read-only for the service; only .cache is its own
# (the built index, and the embeddings cache when OPENAI_EMBEDDINGS_MODEL is set).
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
COPY knowledge ./knowledge
COPY prompts ./prompts
COPY src/widget/public ./src/widget/public
COPY src/admin/public ./src/admin/public
COPY --from=build --chown=node:node /app/.cache/index ./.cache/index
RUN chown node:node .cache
# DATA_DIR (./data): the operator review's local store when there is no Redis; mount a volume here to keep it.
RUN mkdir -p data && chown node:node data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "dist/src/server.js"]
