#!/usr/bin/env bash
# Refreshes the vendored NHS.UK frontend from the npm package at the pinned version, or (--check) fails when the
# committed copy differs from that version. The service serves these files itself (no CDN), so the README's commands
# need no Node; only this script and CI do.
#
#   scripts/refresh-nhsuk-frontend.sh           copy the pinned version's files into the repository
#   scripts/refresh-nhsuk-frontend.sh --check   compare the repository's copy with a fresh one (CI)
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=10.6.1
TARGET=src/WorkingConversations.BuildingBlocks/Web/Assets
# What the pages use: the compiled CSS and JS, the favicon, and the images the CSS points at.
FILES=(
  "nhsuk-frontend-$VERSION.min.css"
  "nhsuk-frontend-$VERSION.min.js"
  "images/favicon.ico"
  "images/favicon.svg"
  "images/nhsuk-icon-180.png"
  "images/nhsuk-icon-arrow-down.svg"
  "images/nhsuk-icon-arrow-up-down.svg"
  "images/nhsuk-icon-arrow-up.svg"
  "images/nhsuk-icon-cross.svg"
)

if ! command -v npm >/dev/null 2>&1; then
  echo "npm is needed to fetch nhsuk-frontend@$VERSION." >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "nhsuk-frontend@$VERSION" >/dev/null && tar xzf "nhsuk-frontend-$VERSION.tgz")
dist="$work/package/dist/nhsuk"

source_of() {
  case "$1" in
    images/*) echo "$dist/assets/$1" ;;
    *) echo "$dist/$1" ;;
  esac
}

if [ "${1:-}" = "--check" ]; then
  status=0
  for f in "${FILES[@]}"; do
    if ! cmp -s "$(source_of "$f")" "$TARGET/$f"; then
      echo "The vendored $TARGET/$f differs from nhsuk-frontend@$VERSION." >&2
      status=1
    fi
  done
  # Nothing of the package's that the list does not name, and nothing left over from another version.
  for f in "$TARGET"/nhsuk-frontend-* "$TARGET"/images/*; do
    name=${f#"$TARGET/"}
    if ! printf '%s\n' "${FILES[@]}" | grep -qxF "$name"; then
      echo "$f is not part of nhsuk-frontend@$VERSION as vendored: remove it or add it to $0." >&2
      status=1
    fi
  done
  if [ "$status" != 0 ]; then
    echo "Run scripts/refresh-nhsuk-frontend.sh and commit the result." >&2
  fi
  exit "$status"
fi

rm -f "$TARGET"/nhsuk-frontend-* "$TARGET"/images/*
mkdir -p "$TARGET/images"
for f in "${FILES[@]}"; do
  cp "$(source_of "$f")" "$TARGET/$f"
done
echo "Vendored nhsuk-frontend@$VERSION into $TARGET"
