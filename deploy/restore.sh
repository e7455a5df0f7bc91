#!/usr/bin/env bash
# Restore a backup made by deploy/backup.sh into an EMPTY database and media directory.
#   deploy/restore.sh <backup dir>
# DATABASE_URL names the (existing, empty) target database; DJANGO_MEDIA_ROOT the target
# directory. Stop the web, socket, worker and timer processes first; start them after.
set -euo pipefail
src="${1:?usage: deploy/restore.sh <backup dir>}"
: "${DATABASE_URL:?DATABASE_URL must point at the empty target database}"
media="${DJANGO_MEDIA_ROOT:-$(dirname "$0")/../media}"

pg_restore --exit-on-error --no-owner --no-privileges --single-transaction \
  --dbname="$DATABASE_URL" "$src/database.dump"
if [ -f "$src/media.tar.gz" ]; then
  mkdir -p "$media"
  tar --extract --gzip --file="$src/media.tar.gz" --directory="$media"
fi
echo "restored $(cat "$src/created" 2>/dev/null || echo 'a backup') into the database and $media"
