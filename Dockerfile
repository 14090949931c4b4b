# CardMall web node as a container image, for hosts with Docker (see README.md, "Containers").
# The default way to run CardMall is ./scripts/run.sh; this image is the container route.
#
#   docker build -t cardmall .
#   docker run -p 5080:8080 -e ConnectionStrings__CardMall="Host=…;Username=…;Password=…;Database=cardmall" cardmall
#
# No HEALTHCHECK here: the aspnet runtime image has neither curl nor wget. Probe /health/ready from
# the orchestrator instead (docs/operations.md).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src

# Restore from the project files and their lock files alone (locked: exactly the committed versions), so this
# layer is reused until a project or version changes.
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/CardMall.Domain/CardMall.Domain.csproj src/CardMall.Domain/packages.lock.json src/CardMall.Domain/
COPY src/CardMall.Application/CardMall.Application.csproj src/CardMall.Application/packages.lock.json src/CardMall.Application/
COPY src/CardMall.Infrastructure/CardMall.Infrastructure.csproj src/CardMall.Infrastructure/packages.lock.json src/CardMall.Infrastructure/
COPY src/CardMall.Web/CardMall.Web.csproj src/CardMall.Web/packages.lock.json src/CardMall.Web/
RUN dotnet restore src/CardMall.Web/CardMall.Web.csproj --locked-mode

COPY src/ src/
RUN dotnet publish src/CardMall.Web/CardMall.Web.csproj -c Release --no-restore -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./

# Listen on 8080 on every interface. The base image's ASPNETCORE_HTTP_PORTS is cleared so that
# Kestrel does not warn that ASPNETCORE_URLS overrides it.
ENV ASPNETCORE_URLS=http://+:8080
ENV ASPNETCORE_HTTP_PORTS=
EXPOSE 8080

# The non-root user "app" that the .NET images provide (APP_UID is set by the base image).
USER $APP_UID

ENTRYPOINT ["dotnet", "CardMall.Web.dll"]
