#!/usr/bin/env bash
# Installs whichever of the Debian packages named as arguments are missing (with sudo when not root).
set -euo pipefail

packages=("$@")

# One dpkg-query call for all packages; unknown ones are simply absent from its output.
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
    echo "Not root and sudo is unavailable; please install these Debian packages: ${missing[*]}" >&2
    exit 1
fi

echo "Installing missing Debian packages: ${missing[*]}"
"${sudo[@]}" apt-get update
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
