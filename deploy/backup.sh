#!/usr/bin/env bash
# Back up Pandu Inovasi: the PostgreSQL database (pg_dump custom format) and the uploaded files.
#   deploy/backup.sh <backup dir>
# Reads DATABASE_URL and DJANGO_MEDIA_ROOT (default: ./media) as the app does. Files in
# S3-compatible storage are not copied here: use the bucket's versioning or replication (see
# deploy/README.md). Safe while the app runs: pg_dump reads one consistent snapshot.
set -euo pipefail
dest="${1:?usage: deploy/backup.sh <backup dir>}"
: "${DATABASE_URL:?DATABASE_URL must point at the PostgreSQL database}"
media="${DJANGO_MEDIA_ROOT:-$(dirname "$0")/../media}"

mkdir -p "$dest"
pg_dump --format=custom --no-owner --no-privileges --file="$dest/database.dump" "$DATABASE_URL"
if [ -d "$media" ]; then
  tar --create --gzip --file="$dest/media.tar.gz" --directory="$media" .
fi
date --utc +%Y-%m-%dT%H:%M:%SZ > "$dest/created"
echo "backup written to $dest"
