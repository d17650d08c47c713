# Parley in a container: build with the full Node image, run on the slim one as a
# non-root user. Config, registration and the SQLite file live in the /data volume.
#   docker build -t parley .
#   docker run --rm -v parley-data:/data parley generate-registration -c /data/config.yaml -f /data/registration.yaml
#   docker run -d --name parley -v parley-data:/data -p 9898:9898 parley
FROM node:24-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY src/matrix/crypto-stub ./src/matrix/crypto-stub
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/src/matrix/crypto-stub ./src/matrix/crypto-stub
COPY config.example.yaml ./
RUN groupadd --system parley && useradd --system --gid parley --home-dir /data parley \
  && mkdir -p /data && chown parley:parley /data
USER parley
VOLUME /data
EXPOSE 9898
ENTRYPOINT ["node", "/app/dist/main.js"]
CMD ["start", "-c", "/data/config.yaml", "-f", "/data/registration.yaml"]
