# syntax=docker/dockerfile:1

# Build stage: all dependencies (the build needs tsc and tsc-alias), compile, then drop the development ones.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# npm's overrides point msgpackr-extract at this local stub (see README, Version choices).
COPY stubs ./stubs
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build && npm prune --omit=dev

# Runtime stage: production dependencies, the compiled code, and the files read at run time.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/stubs ./stubs
COPY --from=build /app/dist ./dist
COPY views ./views
COPY templates ./templates
COPY public ./public
COPY package.json ./
# STORAGE_DIR defaults to ./storage; the app runs as the unprivileged node user, which must be able to write it.
RUN mkdir -p /app/storage && chown node:node /app/storage
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js"]
