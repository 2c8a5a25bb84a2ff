#!/usr/bin/env bash
# Tries docs/deploy.md on this machine without systemd or root-owned paths: checks the two units with
# systemd-analyze, then runs what they run (gunicorn workers and the projector on PostgreSQL) behind the
# nginx site, with a self-signed certificate, in a scratch folder; and asks it what a load balancer asks.
#   bash docs/deploy/try-here.sh postgresql://tracker:tracker@127.0.0.1:5432/tracker_deploy
set -euo pipefail
cd "$(dirname "$0")/../.."
URL=${1:?a PostgreSQL URL for a scratch database}
ROOT=$(pwd)
WORK=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; nginx -p "$WORK" -c nginx.conf -s stop 2>/dev/null || true; rm -rf "$WORK"' EXIT

echo "== systemd-analyze verify (paths rewritten to this checkout)"
mkdir -p "$WORK/units"
for unit in partnership-tracker-web.service partnership-tracker-projector.service; do
    sed -e "s#/opt/partnership-tracker#$ROOT#g" -e "s#/etc/partnership-tracker/env#$WORK/env#" \
        -e "s#^User=tracker#User=root#" -e "s#^Group=tracker#Group=root#" "docs/deploy/$unit" > "$WORK/units/$unit"
done
touch "$WORK/env"
SYSTEMD_LOG_LEVEL=notice systemd-analyze verify "$WORK"/units/*.service && echo "units: ok"

echo "== the env file, the instance, the database"
sed -e "s#^TRACKER_DATABASE_URL=.*#TRACKER_DATABASE_URL=$URL#" \
    -e "s#^TRACKER_INSTANCE_DIR=.*#TRACKER_INSTANCE_DIR=$WORK/instance#" docs/deploy/env.example > "$WORK/env"
set -a; . "$WORK/env"; set +a
.venv/bin/tracker init

echo "== the projector and four gunicorn workers, as the units start them; the demo data"
.venv/bin/tracker projector > "$WORK/projector.log" 2>&1 &
.venv/bin/tracker demo --if-empty
eval ".venv/bin/gunicorn --workers 4 --bind 127.0.0.1:8000 --timeout 60 --graceful-timeout 30 \
    \"tracker.web:create_app()\"" > "$WORK/gunicorn.log" 2>&1 &

echo "== nginx with the site (port 8443 for 443, 8080 for 80, a self-signed certificate)"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=localhost" \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2> /dev/null
mkdir -p "$WORK/logs"
sed -e "s#listen 443#listen 127.0.0.1:8443#" -e "s#listen 80;#listen 127.0.0.1:8080;#" \
    -e "s#/etc/letsencrypt/live/tracker.example.org/fullchain.pem#$WORK/cert.pem#" \
    -e "s#/etc/letsencrypt/live/tracker.example.org/privkey.pem#$WORK/key.pem#" \
    -e "s#/opt/partnership-tracker#$ROOT#" docs/deploy/nginx.conf > "$WORK/site.conf"
cat > "$WORK/nginx.conf" <<CONF
pid $WORK/nginx.pid;
error_log $WORK/logs/error.log;
events {}
http {
    include /etc/nginx/mime.types;
    access_log $WORK/logs/access.log;
    client_body_temp_path $WORK; proxy_temp_path $WORK; fastcgi_temp_path $WORK;
    uwsgi_temp_path $WORK; scgi_temp_path $WORK;
    include $WORK/site.conf;
}
CONF
nginx -t -p "$WORK" -c nginx.conf
nginx -p "$WORK" -c nginx.conf

for _ in $(seq 1 60); do curl -ks -o /dev/null https://127.0.0.1:8443/healthz && break; sleep 0.5; done
check() {  # what, expected status, URL
    local status
    status=$(curl -ks -o "$WORK/body" -w "%{http_code}" -H "Host: tracker.example.org" "$3")
    echo "$1: $status $(head -c 120 "$WORK/body" | tr '\n' ' ')"
    [ "$status" = "$2" ]
}
check "http redirects to https" 301 http://127.0.0.1:8080/
check "/healthz through nginx" 200 https://127.0.0.1:8443/healthz
check "/readyz through nginx" 200 https://127.0.0.1:8443/readyz
check "static file from disk" 200 https://127.0.0.1:8443/static/tracker.css
team=$(curl -ks -H "Host: tracker.example.org" https://127.0.0.1:8443/ | grep -o '/teams/[0-9a-f-]\{32,36\}' | head -1)
check "a team's report page ($team)" 200 "https://127.0.0.1:8443$team/report"
curl -ksI -H "Host: tracker.example.org" https://127.0.0.1:8443/ | grep -i "strict-transport-security"
echo "request log line: $(grep -m1 '"path": "/readyz"' "$WORK/gunicorn.log" || true)"
echo "everything answered as a load balancer and a reader expect"
