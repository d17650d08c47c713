#!/usr/bin/env bash
# Installs the Synapse that Parley's end-to-end tests run against, once, into a cache directory,
# and prints the path of the python that runs it (`<python> -m synapse.app.homeserver ...`).
#
# Primary route: a python3 venv with a pinned matrix-synapse from PyPI.
# Fallback (no python3, or pip cannot install): Debian sid's matrix-synapse package inside a
# `debootstrap --variant=minbase` folder, run through a wrapper that chroots into it (needs root).
#
# Environment:
#   PARLEY_CACHE            cache directory (default: $HOME/.cache/parley)
#   PARLEY_SYNAPSE_METHOD   "auto" (default), "venv" or "chroot" to force one route
#   DEBIAN_MIRROR           mirror for the fallback (default: http://deb.debian.org/debian)
#
# Progress goes to stderr; stdout carries only the python path, so callers can capture it.
set -euo pipefail

readonly SYNAPSE_VERSION="1.163.2"
readonly CACHE_DIR="${PARLEY_CACHE:-$HOME/.cache/parley}"
readonly VENV_DIR="$CACHE_DIR/synapse-venv"
readonly CHROOT_DIR="$CACHE_DIR/synapse-sid"
# The marker records which python a finished install left behind; its name carries the pinned
# version so that bumping the pin reinstalls.
readonly MARKER="$CACHE_DIR/synapse-$SYNAPSE_VERSION.ready"
readonly METHOD="${PARLEY_SYNAPSE_METHOD:-auto}"

log() { echo "install-synapse: $*" >&2; }

# Prints the python a finished install recorded, if it still exists and suits the requested route.
marked_python() {
  [[ -f "$MARKER" ]] || return 1
  local python
  python="$(<"$MARKER")"
  [[ -x "$python" ]] || return 1
  case "$METHOD" in
    venv) [[ "$python" == "$VENV_DIR/bin/python" ]] || return 1 ;;
    chroot) [[ "$python" == "$CHROOT_DIR/python3" ]] || return 1 ;;
  esac
  echo "$python"
}

finish() {
  echo "$1" >"$MARKER.tmp"
  mv "$MARKER.tmp" "$MARKER"
  echo "$1"
}

# Synapse 1.163 needs Python >= 3.10.
usable_python3() {
  command -v python3 >/dev/null 2>&1 &&
    python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' 2>/dev/null
}

venv_has_pinned_synapse() {
  [[ -x "$VENV_DIR/bin/python" ]] &&
    "$VENV_DIR/bin/python" -c "import sys, synapse; sys.exit(synapse.__version__ != '$SYNAPSE_VERSION')" 2>/dev/null
}

install_venv() {
  usable_python3 || { log "no python3 >= 3.10 with venv and ensurepip"; return 1; }
  if venv_has_pinned_synapse; then
    log "reusing matrix-synapse $SYNAPSE_VERSION in $VENV_DIR"
    return 0
  fi
  log "installing matrix-synapse==$SYNAPSE_VERSION into $VENV_DIR"
  [[ -x "$VENV_DIR/bin/python" ]] || python3 -m venv "$VENV_DIR" >&2 || return 1
  "$VENV_DIR/bin/python" -m pip install --no-input --disable-pip-version-check --quiet \
    "matrix-synapse==$SYNAPSE_VERSION" >&2 || return 1
  venv_has_pinned_synapse
}

# The wrapper runs the chroot's python with the host's temp directory bind-mounted at the same
# path, so config and data paths written by the tests mean the same inside and out. A private mount
# namespace makes those mounts vanish with the process. Every step execs, so the python keeps the
# wrapper's pid and its parent stays the test process (signals and parent-death checks still work).
write_chroot_wrapper() {
  cat >"$CHROOT_DIR/python3" <<'WRAPPER'
#!/bin/sh
root="$(cd "$(dirname "$0")" && pwd)/root"
tmp="${TMPDIR:-/tmp}"
exec unshare --mount -- /bin/sh -c '
  root="$1" tmp="$2"; shift 2
  mkdir -p "$root$tmp" &&
    mount --rbind "$tmp" "$root$tmp" &&
    mount --rbind /dev "$root/dev" &&
    mount -t proc proc "$root/proc" || exit 70
  exec chroot "$root" /usr/bin/python3 "$@"' sh "$root" "$tmp" "$@"
WRAPPER
  chmod +x "$CHROOT_DIR/python3"
}

# Called in a condition, where bash ignores `set -e`, so every step checks its own status.
install_chroot() {
  [[ "$(id -u)" == 0 ]] || { log "the chroot fallback needs root"; return 1; }
  if [[ -x "$CHROOT_DIR/root/usr/bin/python3" && -d "$CHROOT_DIR/root/usr/lib/python3/dist-packages/synapse" ]]; then
    log "reusing Debian sid chroot in $CHROOT_DIR"
  else
    build_chroot || return 1
  fi
  write_chroot_wrapper || return 1
  local version
  version="$("$CHROOT_DIR/python3" -c 'import synapse; print(synapse.__version__)')" || return 1
  [[ "$version" == "$SYNAPSE_VERSION" ]] ||
    log "note: Debian sid ships Synapse $version, not the pinned $SYNAPSE_VERSION"
}

build_chroot() {
  if ! command -v debootstrap >/dev/null 2>&1; then
    log "installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >&2 || return 1
  fi
  # Build beside the final folder and rename at the end, so an interrupted build is never reused.
  local building="$CHROOT_DIR/root.partial"
  rm -rf "$building" && mkdir -p "$CHROOT_DIR" || return 1
  log "building a Debian sid folder with debootstrap (takes a minute or two)"
  debootstrap --variant=minbase sid "$building" "${DEBIAN_MIRROR:-http://deb.debian.org/debian}" >&2 || return 1
  # Package scripts must not try to start services inside the folder.
  printf '#!/bin/sh\nexit 101\n' >"$building/usr/sbin/policy-rc.d" && chmod +x "$building/usr/sbin/policy-rc.d" || return 1
  log "installing Debian's matrix-synapse package"
  # Mirrors that serve a dated snapshot carry a Release file past its Valid-Until; accept it.
  local apt=(chroot "$building" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Check-Valid-Until=false)
  "${apt[@]}" update -qq >&2 || return 1
  "${apt[@]}" install -y -qq --no-install-recommends matrix-synapse >&2 || return 1
  rm -rf "$CHROOT_DIR/root" && mv "$building" "$CHROOT_DIR/root"
}

main() {
  mkdir -p "$CACHE_DIR"
  marked_python && return 0

  # Test workers may call this at the same moment; one installs, the others wait and reuse it.
  exec 9>"$CACHE_DIR/.synapse-install.lock"
  flock 9
  marked_python && return 0

  case "$METHOD" in
    venv) install_venv && finish "$VENV_DIR/bin/python" ;;
    chroot) install_chroot && finish "$CHROOT_DIR/python3" ;;
    auto)
      if install_venv; then
        finish "$VENV_DIR/bin/python"
      else
        log "the venv route failed; falling back to a Debian sid chroot"
        install_chroot && finish "$CHROOT_DIR/python3"
      fi
      ;;
    *) log "unknown PARLEY_SYNAPSE_METHOD '$METHOD' (use auto, venv or chroot)"; return 2 ;;
  esac
}

main "$@"
