#!/usr/bin/env bash
# Installs Debian's headless LibreOffice Writer, the peer `make bench` times the PDF print against.
set -euo pipefail

if command -v soffice >/dev/null 2>&1; then
    exit 0
fi

# soffice --headless --convert-to pdf, without the GUI toolkits. Without it the benchmarks
# still run; the LibreOffice figure reports itself as not available.
bash "$(dirname "$0")/apt-install-missing.sh" libreoffice-writer-nogui \
    || echo "LibreOffice could not be installed; the print figure will have no peer." >&2
