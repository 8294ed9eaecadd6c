# One image for every app; APP selects which one runs (profile-import, segmentation,
# smartfocus-dispatch, metrics-collector, smartfocus-simulator, console).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN NX_DAEMON=false npx nx run-many -t build --parallel=2

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY tools/migrate-all.sh tools/demo.mjs tools/stack.mjs ./tools/
USER node
ENV APP=segmentation
EXPOSE 3000
# `docker run IMAGE` serves APP; `docker run IMAGE migrate` applies APP's migrations.
ENTRYPOINT ["sh", "-c", "exec node dist/apps/$APP/src/main.js \"$@\"", "--"]
