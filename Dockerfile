# Multi-stage build of the replicasync daemon; runs as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/SyncDaemon/SyncDaemon.csproj -c Release -o /app --no-self-contained

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
RUN useradd --system --uid 10001 replicasync && mkdir -p /data && chown replicasync /data
USER replicasync
# Profiles and configuration are mounted read-only under /config; replicas go to /data (or a cloud target).
VOLUME ["/data"]
ENTRYPOINT ["dotnet", "/app/replicasync.dll"]
CMD ["--help"]
