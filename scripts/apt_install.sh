# Sourced by the ensure_* scripts: installs Debian packages non-interactively (sudo when not root), running
# `apt-get update` once and retrying when a fresh machine has no package lists yet. Usage: apt_install LABEL ARGS...
apt_install() {
  local label="$1"
  shift
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$label: apt-get is unavailable; install $* with your package manager." >&2
    return 1
  fi
  local as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "$label: installing $* needs root, but sudo is not available." >&2
      return 1
    fi
    as_root=(sudo)
  fi
  echo "$label: installing $*" >&2
  if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"; then
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    if ! "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"; then
      echo "$label: apt-get install $* failed" >&2
      return 1
    fi
  fi
}
