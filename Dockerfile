# The assistant, compiled to JavaScript and run with plain Node (`npm run start:prod`): the
# TypeScript loader of `npm start` costs about 40 MB of memory and start-up time in production.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
RUN npm run build

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production

# Dependencies first, so a source change does not reinstall them. Copying only what the service
# reads keeps the host's node_modules and data/ out of the image without a .dockerignore.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
# The ingest CLI runs from sources through tsx (a runtime dependency): `npm run ingest`.
COPY tsconfig.json ./
COPY src ./src
COPY scripts ./scripts
COPY knowledge ./knowledge
COPY prompts ./prompts
COPY public ./public

# The named volume mounted here takes this owner when first created.
RUN mkdir -p /data && chown node:node /data
ENV DATA_DIR=/data
VOLUME ["/data"]
USER node
EXPOSE 3000
CMD ["node", "--max-semi-space-size=8", "dist/src/main.js"]
