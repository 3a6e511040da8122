# syntax=docker/dockerfile:1

# newsbrief bot: multi-stage build of a static binary into a distroless,
# non-root image.
#
#   docker build --build-arg VERSION=$(git describe --tags --always) \
#                --build-arg COMMIT=$(git rev-parse HEAD) -t newsbrief .
#   docker run -d -p 8080:8080 --stop-timeout 15 \
#                -v newsbrief-state:/var/lib/newsbrief \
#                -e TELEGRAM_TOKEN=... newsbrief

FROM golang:1.26 AS build
WORKDIR /src
# Dependencies first: this layer is cached until go.mod/go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG COMMIT=unknown
# Static (no cgo), reproducible paths, stripped; the time zone database is
# embedded (-tags timetzdata, and cmd/bot imports time/tzdata) so digest
# time zones resolve without files in the image.
RUN CGO_ENABLED=0 GOFLAGS=-buildvcs=false go build -trimpath -tags timetzdata \
        -ldflags "-s -w -X main.version=${VERSION} -X main.commit=${COMMIT}" \
        -o /out/bot ./cmd/bot \
    && mkdir -p /out/state

# distroless/static: CA certificates, tzdata, /etc/passwd with "nonroot"
# (65532), no shell. The :nonroot tag runs as that user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/bot /usr/local/bin/bot
# The embedded store's directory, owned by the non-root user; mount a volume
# here to keep state across containers (or set REDIS_URL).
COPY --from=build --chown=65532:65532 /out/state /var/lib/newsbrief
VOLUME ["/var/lib/newsbrief"]
ENV HTTP_ADDR=:8080 \
    LOG_FORMAT=json \
    STATE_PATH=/var/lib/newsbrief/state.db
USER 65532:65532
EXPOSE 8080
# The image has no curl: the binary checks its own /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/usr/local/bin/bot", "healthcheck"]
# docker stop sends SIGTERM; bot run finishes within SHUTDOWN_TIMEOUT (10s by
# default). Docker's own stop timeout is also 10s, so run the container with
# --stop-timeout 15 (compose: stop_grace_period: 15s) to leave headroom.
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/bot"]
CMD ["run"]
