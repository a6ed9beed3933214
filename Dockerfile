# The libreport image: the worker and CLI (run through tsx, no build step). The compose stack also
# runs the SES stand-in from it, since aws-ses-v2-local is one of its npm dependencies.
FROM node:20-bookworm-slim

WORKDIR /app
ENV NODE_ENV=production

COPY package.json package-lock.json ./
# Development tools (jest, eslint, playwright-core for report tests) stay out of the image.
RUN npm ci --omit=dev && npm cache clean --force

COPY tsconfig.json ./
COPY bin ./bin
COPY src ./src
RUN mkdir -p reports && chown node:node reports

USER node
ENTRYPOINT ["bin/libreport"]
CMD ["--help"]
