#!/usr/bin/env bash
# Installs Debian's headless LibreOffice Writer, the peer `make bench` times the PDF print against.
set -euo pipefail

packages=(
    # soffice --headless --convert-to pdf, without the GUI toolkits
    libreoffice-writer-nogui
)

if command -v soffice >/dev/null 2>&1; then
    exit 0
fi

declare -A installed=()
while read -r pkg status; do
    [[ "$status" == "install ok installed" ]] && installed[${pkg%%:*}]=1
done < <(dpkg-query -W -f='${Package} ${Status}\n' "${packages[@]}" 2>/dev/null || true)

missing=()
for pkg in "${packages[@]}"; do
    [[ -n "${installed[$pkg]:-}" ]] || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
    sudo=()
elif command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
else
    # The benchmarks still run; the LibreOffice figure reports itself as not available.
    echo "Not root and sudo is unavailable; install ${missing[*]} to time LibreOffice." >&2
    exit 0
fi

echo "Installing missing Debian packages for the benchmarks: ${missing[*]}"
"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
