# Shared helpers for images/build.sh: recipe hashing, the cache directory protocol, the shared
# debootstrap package cache and the manifest writer. Sourced, never run; builds nothing by itself.

KUMO_IMAGE_CACHE=${KUMO_IMAGE_CACHE:-/var/cache/kumo/images}
KUMO_DEBIAN_MIRROR=${KUMO_DEBIAN_MIRROR:-http://deb.debian.org/debian}
KUMO_DEB_CACHE=${KUMO_DEB_CACHE:-/var/cache/kumo/debs}
KUMO_SUITE=bookworm

# recipe_hash NAME: sha256 over everything that decides the image's content (the shared helpers,
# the image's own recipe folder, the suite and mirror), so that any change to them rebuilds it.
recipe_hash() {
  local name=$1
  {
    echo "suite=$KUMO_SUITE mirror=$KUMO_DEBIAN_MIRROR arch=amd64"
    (cd "$here" && find lib.sh "$name" -type f -print0 | sort -z | xargs -0 sha256sum)
  } | sha256sum | cut -c1-16
}

# build_cached NAME: prints the output directory of image NAME, building it first when the cache
# has no complete copy. A build happens in a temporary sibling directory renamed into place at the
# end, so a crashed build never looks complete; a lock serialises concurrent callers.
build_cached() {
  local name=$1 hash out tmp
  hash=$(recipe_hash "$name")
  out="$KUMO_IMAGE_CACHE/$name-$hash"
  if [ -f "$out/manifest.json" ]; then echo "$out"; return 0; fi
  mkdir -p "$KUMO_IMAGE_CACHE" "$KUMO_DEB_CACHE"
  exec {lockfd}>"$KUMO_IMAGE_CACHE/.$name.lock"
  flock "$lockfd"
  if [ ! -f "$out/manifest.json" ]; then
    tmp="$KUMO_IMAGE_CACHE/.build-$name-$hash-$$"
    rm -rf "$tmp" && mkdir -p "$tmp/out" "$tmp/work"
    local start=$SECONDS
    ( export KUMO_IMAGE_NAME=$name KUMO_RECIPE_HASH=$hash OUT="$tmp/out" WORK="$tmp/work"
      bash "$here/$name/recipe.sh" ) >"$tmp/build.log" 2>&1 || {
      echo "images: building $name failed; last lines of $tmp/build.log:" >&2
      tail -n 40 "$tmp/build.log" >&2
      exit 1
    }
    rm -rf "$tmp/work"
    mv "$tmp/build.log" "$tmp/out/build.log"
    echo "built in $((SECONDS - start)) s" >>"$tmp/out/build.log"
    rm -rf "$out" && mv "$tmp/out" "$out" && rm -rf "$tmp"
    echo "images: built $name in $((SECONDS - start)) s" >&2
  fi
  flock -u "$lockfd"
  echo "$out"
}

# file_entry PATH: the manifest's JSON object for one output file.
file_entry() {
  local f=$1
  printf '{"path":"%s","bytes":%s,"sha256":"%s"}' "$(basename "$f")" "$(stat -c %s "$f")" \
    "$(sha256sum "$f" | cut -d' ' -f1)"
}
