# shellcheck shell=bash
# What several bench scripts share. Source it after `cd "$root"`.
#   bench_need CMD PACKAGE          — install the Debian PACKAGE when CMD is missing (as root), or stop saying why.
#   bench_hello_ceiling DIR URL CONNECTIONS SECONDS
#                                   — build a bare Kestrel minimal-API "hello" in DIR, run it on URL, load it with
#                                     wrk (2 threads, CONNECTIONS, a 5 s warm-up, then SECONDS) and print its
#                                     req/s: the machine's page ceiling, measured in the same run as CardMall.
#   bench_sign_in URL EMAIL PASSWORD JAR
#                                   — sign in through the login form (the antiforgery token is in the form) and
#                                     print the auth cookie as "name=value", or nothing when signing in failed.

bench_need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || { echo "bench: $1 is missing; install the Debian package $2" >&2; exit 1; }
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

bench_hello_ceiling() {
  local dir=$1 url=$2 connections=$3 secs=$4 pid rps
  mkdir -p "$dir"
  cat > "$dir/hello.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup><TargetFramework>net10.0</TargetFramework><ImplicitUsings>enable</ImplicitUsings><Nullable>enable</Nullable></PropertyGroup>
</Project>
XML
  cat > "$dir/Program.cs" <<'CS'
var builder = WebApplication.CreateBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapGet("/", () => "hello");
app.Run();
CS
  # Empty projects in its folder keep any Directory.*.props above it (warnings as errors, central versions) out.
  echo '<Project />' > "$dir/Directory.Build.props"; echo '<Project />' > "$dir/Directory.Packages.props"
  (cd "$dir" && dotnet build -c Release -nologo -v q -clp:ErrorsOnly -o out >&2)
  dotnet "$dir/out/hello.dll" --urls "$url" >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do curl -fs "$url/" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -fs "$url/" >/dev/null || { echo "bench: the hello app did not start on $url" >&2; kill "$pid" 2>/dev/null; return 1; }
  wrk -t2 -c"$connections" -d5s "$url/" >/dev/null
  rps=$(wrk -t2 -c"$connections" -d"${secs}s" "$url/" | awk '/Requests\/sec/ {print int($2)}')
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  echo "$rps"
}

bench_sign_in() {
  local url=$1 email=$2 password=$3 jar=$4 token
  token=$(curl -fs -c "$jar" "$url/Account/Login" \
    | grep -oE 'name="__RequestVerificationToken" type="hidden" value="[^"]+"' | head -1 | sed -E 's/.*value="([^"]+)"/\1/')
  curl -fs -b "$jar" -c "$jar" -o /dev/null "$url/Account/Login" --data-urlencode "__RequestVerificationToken=$token" \
    --data-urlencode "Input.Email=$email" --data-urlencode "Input.Password=$password" || true
  awk '$6 == "cardmall.auth" {print $6 "=" $7}' "$jar"
}
