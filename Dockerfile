# The replicasync daemon.
#   docker build -t replicasync .
#   docker run --stop-timeout 45 -v "$PWD/config:/config:ro" -v "$PWD/profiles:/profiles:ro" -v replicas:/data -p 8080:8080 replicasync
# /config/daemon.json (see config/daemon.example.json) names profiles under /profiles and targets under /data or
# s3://...; config and profiles are mounted read-only. --stop-timeout must exceed shutdownGraceSeconds so runs
# can drain before Docker kills the process.

# Build stage: the same script the tests run (scripts/publish.sh), so the image holds what was tested.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
# Native AOT links with the system's C toolchain.
RUN apt-get update && apt-get install -y --no-install-recommends clang zlib1g-dev && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN bash scripts/publish.sh /app

# The executable is native: the image needs the C libraries .NET relies on, not a .NET runtime.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
RUN useradd --system --uid 10001 --no-create-home replicasync && mkdir -p /data && chown replicasync /data
WORKDIR /app
COPY --from=build /app .
USER 10001
# Listen on all interfaces inside the container; everything else comes from the mounted config.
ENV REPLICASYNC__listen=http://0.0.0.0:8080
EXPOSE 8080
VOLUME ["/data"]
# SIGTERM starts a graceful drain: schedules stop, runs finish and commit the versions being copied (within shutdownGraceSeconds).
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["bash", "/app/healthcheck.sh"]
ENTRYPOINT ["/app/replicasync"]
CMD ["run", "--config", "/config/daemon.json"]
