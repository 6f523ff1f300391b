#!/usr/bin/env bash
# Installs the system packages Math-To-Manim needs, skipping those already there (a second run takes
# a second). Usage: scripts/setup_system.sh [--test]   (--test adds what the browser tests need)
set -euo pipefail

packages=(libcairo2-dev libpango1.0-dev pkg-config texlive-latex-base texlive-latex-extra texlive-science
          texlive-fonts-recommended dvisvgm bubblewrap ffmpeg python3-venv python3-dev espeak-ng)
[ "${1:-}" = "--test" ] && packages+=(chromium)

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "This machine has no apt. Install these yourself, then run make again:" >&2
  echo "  cairo and pango development files, pkg-config, a LaTeX distribution with latex-extra" >&2
  echo "  (e.g. TeX Live), dvisvgm, bubblewrap, ffmpeg, espeak-ng, Python 3.10+ with venv; for tests: chromium." >&2
  echo "  Debian names: ${packages[*]}" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "Installing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
