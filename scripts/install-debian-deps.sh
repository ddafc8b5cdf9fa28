#!/usr/bin/env bash
# Installs the Debian 12 packages PySide6 6.11 (offscreen/xcb, Widgets, PrintSupport, Test), Xvfb and pdftoppm need at run time.
set -euo pipefail

packages=(
    # Qt core/gui/widgets: fonts, images, glib event loop, D-Bus
    libglib2.0-0 libdbus-1-3 libfontconfig1 libfreetype6 libpng16-16
    libbrotli1 libexpat1 libbsd0
    # QtGui links libEGL/libGL directly (glvnd; pulls in the Mesa drivers)
    libegl1 libgl1 libglx0 libglvnd0
    # xkb and the xcb platform plugin (6.5+ needs libxcb-cursor0)
    libxkbcommon0 libxkbcommon-x11-0
    libx11-6 libx11-xcb1 libxau6 libxdmcp6
    libxcb1 libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0
    libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0
    libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0
    libxcb-xkb1
    # CUPS print support plugin and what it links
    libcups2 libavahi-client3 libavahi-common3
    libgssapi-krb5-2 libkrb5-3 libk5crypto3 libkrb5support0 libkeyutils1
    # at least one font
    fontconfig fonts-dejavu-core
    # headless X for tests/screenshots, and pdftoppm
    xvfb xauth poppler-utils
)

exec bash "$(dirname "$0")/apt-install-missing.sh" "${packages[@]}"
