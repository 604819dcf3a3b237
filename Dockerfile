# The assistant, run from its TypeScript sources with tsx (`npm start`).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production

# Dependencies first, so a source change does not reinstall them. Copying only what the service
# reads keeps the host's node_modules and data/ out of the image without a .dockerignore.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
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
CMD ["npm", "start"]
