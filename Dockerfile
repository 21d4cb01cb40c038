# The engine's image: one image, two roles (SEATBILL_ROLE=api or worker), as docker-compose.yml runs them.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY tsconfig.json ./
COPY src ./src
COPY migrations ./migrations
USER node
EXPOSE 3000
CMD ["node_modules/.bin/tsx", "src/main.ts"]
