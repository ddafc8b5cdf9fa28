#!/usr/bin/env bash
# Builds the Linux bundle in packaging/dist/scrutineer with PyInstaller (one folder), from .venv.
# Usage: bash packaging/build.sh            (make package runs this after making .venv)
#        SCRUTINEER_BUNDLE_TRIM=0 bash packaging/build.sh   builds without trimming, to compare sizes
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
python="$root/.venv/bin/python"
if [[ ! -x "$python" ]]; then
    echo "No .venv here: run 'make package', which makes it first." >&2
    exit 1
fi

# PyInstaller is a build tool, not a dependency of the app or its tests: pinned in
# packaging/requirements.txt and installed only when missing or at another version.
want="$(sed -n 's/^pyinstaller==//p' packaging/requirements.txt)"
have="$("$python" -c 'import PyInstaller; print(PyInstaller.__version__)' 2>/dev/null || true)"
if [[ "$have" != "$want" ]]; then
    echo "Installing the packaging tools (packaging/requirements.txt) into .venv"
    "$python" -m pip install --quiet --disable-pip-version-check -r packaging/requirements.txt
fi

# A clean build each time: a stale work folder can keep files the rules now drop.
rm -rf packaging/build packaging/dist
"$python" -m PyInstaller --noconfirm --log-level WARN \
    --distpath packaging/dist --workpath packaging/build \
    packaging/scrutineer.spec

bundle=packaging/dist/scrutineer
echo "Built $bundle: $(du -sh "$bundle" | cut -f1), $(find "$bundle" -type f | wc -l) files."
echo "Run 'make package-test' to try it without Python."
