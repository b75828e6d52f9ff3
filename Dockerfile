# Production image of Tertulia: a release build on Debian, run as an unprivileged user.
FROM rust:1-bookworm AS build
RUN apt-get update && apt-get install -y --no-install-recommends libpq-dev libsqlite3-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo build --release -p tertulia

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 libsqlite3-0 ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/tertulia --create-home tertulia
COPY --from=build /src/target/release/tertulia /usr/local/bin/tertulia
COPY themes /usr/share/tertulia/themes
USER tertulia
WORKDIR /var/lib/tertulia
ENV TERTULIA_LISTEN=0.0.0.0:8080 \
    TERTULIA_DATA_DIR=/var/lib/tertulia \
    TERTULIA_THEMES_DIR=/usr/share/tertulia/themes \
    TERTULIA_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --retries=5 CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
CMD ["tertulia", "serve"]
