# The libreport image: the worker and CLI, compiled to dist/ (bin/libreport runs it). The compose stack
# also runs the SES stand-in from it, since aws-ses-v2-local is one of its npm dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN node scripts/build.mjs

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./
# Development tools (TypeScript, jest, eslint, playwright-core for report tests) stay out of the image.
RUN npm ci --omit=dev && npm cache clean --force

COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
# After src/, so the build is newer than every source file and bin/libreport picks it.
COPY --from=build /app/dist ./dist
RUN touch dist/.built && mkdir -p reports && chown node:node reports

USER node
ENTRYPOINT ["bin/libreport"]
CMD ["--help"]
