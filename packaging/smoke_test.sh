#!/usr/bin/env bash
# Runs the built Linux bundle as a user would, with no Python or virtual environment in reach.
# Usage: bash packaging/smoke_test.sh [BUNDLE_DIR]   (default packaging/dist/scrutineer; make package-test)
#
# The bundle is copied to a temporary folder and run from there with an empty environment
# (env -i, PATH=/usr/bin:/bin, HOME and TMPDIR in the temporary folder): --version, sample,
# check, recover, print to PDF (fonts embedded) and Word, export to and import from a spreadsheet, and
# the window offscreen (and on Xvfb when there) for 5 seconds. Under strace (when installed)
# every run is also watched: no internet socket, nothing written outside the user's folders,
# nothing read from a Python installation. Every step runs; the script fails if any failed.
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
built="${1:-$root/packaging/dist/scrutineer}"
if [[ ! -x "$built/scrutineer" ]]; then
    echo "FAIL no bundle at $built: run 'make package' first." >&2
    exit 1
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/scrutineer-smoke.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
app="$tmp/app/scrutineer"     # a copy, so nothing can lean on the build tree
home="$tmp/home"              # the user's own folder
work="$tmp/work"              # the folder the user runs it in; outputs go here
settings="$tmp/settings"      # the window's settings (--settings)
scratch="$tmp/tmp"            # TMPDIR: must be empty at the end
runtime="$tmp/run"            # XDG_RUNTIME_DIR, as a desktop session sets it
mkdir -p "$tmp/app" "$home" "$work" "$settings" "$scratch" "$runtime"
chmod 700 "$runtime"
cp -a "$built" "$app"
exe="$app/scrutineer"

failures=0
pass() { echo "ok   $*"; }
fail() {
    echo "FAIL $*"
    failures=$((failures + 1))
}

tracer=()
if command -v strace >/dev/null 2>&1 && strace -f -qq -o /dev/null true 2>/dev/null; then
    tracer=(strace -f -qq -e trace=socket,connect,open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2 -o)
else
    echo "note strace is not available here: network, write and Python-use tracing skipped"
fi

# run NAME ARGS...: run the bundle in $work with a clean environment; stdout and stderr
# go to $tmp/NAME.out and $tmp/NAME.err, the trace to $tmp/NAME.trace; returns its exit code.
# A command in the array `display` (an X server) goes in front, untraced.
display=()
run() {
    local name="$1"
    shift
    local trace=()
    [[ ${#tracer[@]} -gt 0 ]] && trace=("${tracer[@]}" "$tmp/$name.trace")
    (cd "$work" && env -i PATH=/usr/bin:/bin HOME="$home" TMPDIR="$scratch" \
        XDG_RUNTIME_DIR="$runtime" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
        "${display[@]}" "${trace[@]}" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err")
}

show() { sed 's/^/     | /' "$@" | head -20; }

listing() { (cd "$1" && find . -printf '%p %s %T@\n' | sort); }

# --- what is in the bundle -----------------------------------------------------------------
qt="$app/_internal/PySide6/Qt"
for plugin in platforms/libqoffscreen.so platforms/libqxcb.so printsupport/libcupsprintersupport.so; do
    if [[ -f "$qt/plugins/$plugin" ]]; then pass "bundle has Qt plugin $plugin"; else fail "bundle lacks Qt plugin $plugin"; fi
done
# The print preview renders pages with pdfium; the command line cannot reach the preview.
if [[ -f "$app/_internal/pypdfium2_raw/libpdfium.so" ]]; then pass "bundle has pdfium for the print preview"; else
    fail "bundle lacks pypdfium2_raw/libpdfium.so for the print preview"
fi
# reportlab's C accelerator: without it a print takes a third longer.
if compgen -G "$app/_internal/_rl_accel*" >/dev/null; then pass "bundle has reportlab's C accelerator"; else
    fail "bundle lacks _rl_accel, reportlab's C accelerator"
fi
fonts=("$root"/exports/fonts/*.ttf)
if [[ ! -e "${fonts[0]}" ]]; then
    fail "no print fonts in exports/fonts to bundle"
else
    for font in "${fonts[@]}"; do
        if [[ -f "$app/_internal/exports/fonts/$(basename "$font")" ]]; then
            pass "bundle has font $(basename "$font")"
        else
            fail "bundle lacks font $(basename "$font")"
        fi
    done
fi
unwanted="$(find "$app" \( -name '*Qt6Network*' -o -name '*Qt6Qml*' -o -name '*Qt6Quick*' -o -name '*.qm' \
    -o -name 'QtNetwork*' -o -name 'QtTest*' -o -path '*/plugins/tls/*' \) -printf '%P\n')"
if [[ -z "$unwanted" ]]; then pass "bundle has no Qt network, QML, test modules or translations"; else
    fail "bundle has what the app does not use:"
    echo "$unwanted" | show
fi
unresolved="$(find "$app" -type f \( -name '*.so*' -o -path "$exe" \) -print0 |
    xargs -0 env -i PATH=/usr/bin:/bin ldd 2>/dev/null | grep 'not found' | sort -u)"
if [[ -z "$unresolved" ]]; then pass "every library in the bundle finds the libraries it links to"; else
    fail "libraries the bundle links to but lacks:"
    echo "$unresolved" | show
fi

bundle_before="$(listing "$app")"

# --- the steps a user takes ----------------------------------------------------------------
version="$(sed -n 's/^__version__ = "\(.*\)"/\1/p' "$root/desktop/__init__.py")"
if run version "$exe" --version && grep -qx "scrutineer $version" "$tmp/version.out"; then
    pass "--version says scrutineer $version"
else
    fail "--version did not say scrutineer $version"
    show "$tmp/version.out" "$tmp/version.err"
fi

if run sample "$exe" sample sample.scrutiny && [[ -s "$work/sample.scrutiny" ]]; then
    pass "sample wrote sample.scrutiny ($(stat -c %s "$work/sample.scrutiny") bytes)"
else
    fail "sample did not write the sample plan"
    show "$tmp/sample.out" "$tmp/sample.err"
fi

if run check "$exe" check sample.scrutiny; then
    pass "check found the sample sound: $(head -1 "$tmp/check.out")"
else
    fail "check did not pass the sample plan"
    show "$tmp/check.out" "$tmp/check.err"
fi

# Recovery runs APSW's own SQLite on a private copy: a stray write-ahead log is set aside.
cp "$work/sample.scrutiny" "$work/crashed.scrutiny"
printf 'frames from elsewhere' >"$work/crashed.scrutiny-wal"
if run recover "$exe" recover crashed.scrutiny && grep -q "^Recovered crashed.scrutiny" "$tmp/recover.out" &&
    [[ ! -e "$work/crashed.scrutiny-wal" && -e "$work/crashed before recovery/crashed.scrutiny-wal" ]]; then
    pass "recover set a stray write-ahead log aside"
else
    fail "recover did not set a stray write-ahead log aside"
    show "$tmp/recover.out" "$tmp/recover.err"
fi

if run print "$exe" print sample.scrutiny -o appendix.pdf && [[ "$(head -c 5 "$work/appendix.pdf" 2>/dev/null)" == "%PDF-" ]]; then
    pass "print wrote appendix.pdf ($(stat -c %s "$work/appendix.pdf") bytes)"
    if command -v pdffonts >/dev/null 2>&1; then
        # Every font must travel inside the PDF: the bundle's own, found when frozen.
        fonts_used="$(pdffonts "$work/appendix.pdf" | tail -n +3)"
        if [[ -n "$fonts_used" ]] && ! awk '{ if ($(NF-4) != "yes") bad = 1 } END { exit !bad }' <<<"$fonts_used"; then
            pass "every font in appendix.pdf is embedded: $(awk '{ print $1 }' <<<"$fonts_used" | sort -u | tr '\n' ' ')"
        else
            fail "appendix.pdf has fonts that are not embedded, or none at all:"
            echo "$fonts_used" | show
        fi
    fi
    if command -v pdftotext >/dev/null 2>&1; then
        theme="$(grep -m1 -o '"title": "Spending Public Money Wisely"' "$root/db/sample_data.py" | cut -d'"' -f4)"
        if [[ -n "$theme" ]] && pdftotext "$work/appendix.pdf" - | tr -s ' \n' ' ' | grep -qiF "$theme"; then
            pass "appendix.pdf prints the sample's theme \"$theme\""
        else
            fail "appendix.pdf does not print the sample's theme"
        fi
    fi
else
    fail "print did not write a PDF"
    show "$tmp/print.out" "$tmp/print.err"
fi

# Word and spreadsheets: python-docx, openpyxl and lxml, trimmed with care, still work frozen.
if run docx "$exe" print sample.scrutiny -o appendix.docx && [[ "$(head -c 2 "$work/appendix.docx" 2>/dev/null)" == "PK" ]]; then
    pass "print wrote appendix.docx ($(stat -c %s "$work/appendix.docx") bytes)"
else
    fail "print did not write a Word file"
    show "$tmp/docx.out" "$tmp/docx.err"
fi
if run export "$exe" export sample.scrutiny plan.xlsx && run import "$exe" import plan.xlsx imported.scrutiny &&
    run check-imported "$exe" check imported.scrutiny; then
    pass "export to plan.xlsx and import back: $(cat "$tmp/import.out")"
else
    fail "export to a spreadsheet and import back failed"
    show "$tmp"/export.{out,err} "$tmp"/import.{out,err} "$tmp"/check-imported.{out,err} 2>/dev/null
fi

# window NAME WHAT PLATFORM ARGS...: the window, started with ARGS on Qt's PLATFORM, must
# still be running after 5 s (timeout kills it, exit 124) with nothing on stderr. The
# offscreen platform (not the app) warns that it cannot pass size hints to a window manager
# it does not have; that line is left out.
window() {
    local name="$1" what="$2" platform="$3"
    shift 3
    run "$name" env QT_QPA_PLATFORM="$platform" timeout 5s "$exe" --no-err-windows "$@"
    local code=$?
    sed -i '/^This plugin does not support propagateSizeHints()$/d' "$tmp/$name.err"
    if [[ $code -eq 124 && ! -s "$tmp/$name.err" ]]; then
        pass "$what ran for 5 s with nothing on stderr"
    else
        fail "$what stopped with exit code $code (124 means it was still running) or wrote to stderr"
        show "$tmp/$name.out" "$tmp/$name.err"
    fi
}

window window "the window, offscreen," offscreen --settings "$settings" sample.scrutiny
# A first run, as a new user starts it: no file, no --settings. It writes the sample plan
# and its settings into the user's own folders (checked below), nowhere else.
window first-run "a first run (no file, no settings), offscreen," offscreen

# The same on a real X display, when Xvfb is here: proves the xcb plugin and its libraries.
if command -v xvfb-run >/dev/null 2>&1; then
    display=(xvfb-run -a -s "-screen 0 1280x800x24")
    window window-xcb "the window on an X display (xcb)" xcb --settings "$settings" sample.scrutiny
    display=()
else
    echo "note xvfb-run is not here: the window on an X display (xcb) was not tried"
fi

# --- what it touched -----------------------------------------------------------------------
if [[ "$(listing "$app")" == "$bundle_before" ]]; then pass "nothing was written into the bundle"; else
    fail "the bundle's folder changed:"
    diff <(echo "$bundle_before") <(listing "$app") | show
fi
extra="$(cd "$work" && find . -mindepth 1 ! -name sample.scrutiny ! -name appendix.pdf ! -name appendix.docx \
    ! -name plan.xlsx ! -name imported.scrutiny -printf '%P\n')"
if [[ -z "$extra" ]]; then pass "the working folder holds only the files asked for"; else
    fail "files left in the working folder:"
    echo "$extra" | show
fi
left="$(find "$scratch" "$runtime" -mindepth 1 -printf '%P\n')"
if [[ -z "$left" ]]; then pass "no temporary files left behind"; else
    fail "temporary files left behind:"
    echo "$left" | show
fi
echo "note in the user's home: $(cd "$home" && find . -mindepth 1 -maxdepth 3 -printf '%P ' | head -c 300)"

if [[ ${#tracer[@]} -gt 0 ]]; then
    traces=("$tmp"/*.trace)
    sockets="$(grep -hE 'socket\((AF_INET|AF_INET6|AF_PACKET)' "${traces[@]}" | grep -v '= -1' | sort -u)"
    if [[ -z "$sockets" ]]; then pass "no network socket was opened"; else
        fail "network sockets were opened:"
        echo "$sockets" | show
    fi
    # Successful opens for writing (or creating) and new folders, outside the user's folders;
    # a relative name is in the working folder, whose leftovers are checked above.
    writes="$(grep -hE '(open(at)?\(.*O_(WRONLY|RDWR|CREAT)|creat\(|mkdir(at)?\(|rename)' "${traces[@]}" |
        grep -v '= -1' | grep -oE '"[^"]*"' | tr -d '"' | sort -u |
        grep -vE "^($home|$work|$settings|$scratch|$runtime)(/|$)|^/dev/|^[^/.]|^\.[^./]" || true)"
    if [[ -z "$writes" ]]; then pass "wrote only in the user's folders"; else
        fail "wrote outside the user's folders:"
        echo "$writes" | show
    fi
    python_use="$(grep -hE 'open(at)?\(' "${traces[@]}" | grep -v '= -1' |
        grep -E '/usr/(local/)?lib/python3|\.venv/|site-packages' | grep -v "$app" | sort -u)"
    if [[ -z "$python_use" ]]; then pass "read nothing from a Python installation"; else
        fail "read from a Python installation:"
        echo "$python_use" | show
    fi
fi

echo "size $(du -sh "$app" | cut -f1) in $(find "$app" -type f | wc -l) files ($(du -sb "$app" | cut -f1) bytes)"
if [[ $failures -gt 0 ]]; then
    echo "smoke test: $failures step(s) failed"
    exit 1
fi
echo "smoke test: all steps passed"
