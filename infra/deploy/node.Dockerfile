# The repository's Node.js code for the compose stack's one-shot and long-running services
# (db-migrate, deploy-functions, event-source-mapping in docker-compose.yml). Dependencies are
# installed from package-lock.json; the code is copied after them so a code change reuses that layer.
# Runs as the image's unprivileged `node` user, who owns /app (the deploy writes .build/ and .serverless/).
FROM node:20-bookworm-slim
ENV npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
RUN mkdir /app /deploy && chown node:node /app /deploy
WORKDIR /app
USER node
COPY --chown=node:node package.json package-lock.json ./
RUN npm ci
COPY --chown=node:node tsconfig.json serverless.yml .env.localstack ./
COPY --chown=node:node functions ./functions
COPY --chown=node:node infra ./infra
