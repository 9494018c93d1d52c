#!/bin/sh
# Vendor the dashboard's front-end packages from the npm registry into the repository.
#
#   scripts/vendor-govuk.sh          (needs node and npm; run from anywhere)
#
# 1. `npm ci` installs exactly the versions pinned in package.json / package-lock.json.
# 2. GOV.UK Frontend's *built* files (dist/govuk: the compiled CSS, the JS bundle, fonts,
#    images, manifest) are copied into voice_service/web/static/govuk/, so the service
#    needs no node at run time and no request ever leaves the machine (no CDN).
#    The compiled CSS points at /assets/...; it is rewritten to the relative assets/...
#    so the fonts and crest are served from beside the CSS, wherever the app is mounted.
# 3. axe-core's axe.min.js is copied to tests/admin/vendor/ for the browser tests' audit.
#
# To upgrade: change the versions in package.json, `npm install`, run this script, commit
# package.json, package-lock.json and the vendored files together (a test checks they agree).
set -eu
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund

src=node_modules/govuk-frontend/dist/govuk
dest=voice_service/web/static/govuk
rm -rf "$dest"
mkdir -p "$dest/assets"
sed 's#url(/assets/#url(assets/#g' "$src/govuk-frontend.min.css" > "$dest/govuk-frontend.min.css"
if grep -q 'url(/assets/' "$dest/govuk-frontend.min.css"; then
    echo "vendor-govuk: the CSS still points at /assets/; the rewrite needs updating" >&2
    exit 1
fi
cp "$src/govuk-frontend.min.js" "$dest/"
cp -R "$src/assets/fonts" "$src/assets/images" "$src/assets/manifest.json" "$dest/assets/"
cp node_modules/govuk-frontend/LICENSE* "$dest/" 2>/dev/null || true
node -p 'require("./node_modules/govuk-frontend/package.json").version' > "$dest/VERSION"

mkdir -p tests/admin/vendor
cp node_modules/axe-core/axe.min.js tests/admin/vendor/axe.min.js
node -p 'require("./node_modules/axe-core/package.json").version' > tests/admin/vendor/AXE_VERSION

echo "vendored govuk-frontend $(cat "$dest/VERSION") into $dest and axe-core $(cat tests/admin/vendor/AXE_VERSION) into tests/admin/vendor"
