#!/usr/bin/env bash
# Fails when proto/ in the working tree breaks the proto of an earlier commit (buf breaking, rules
# of buf.yaml), unless package.json's major version differs from that commit's: a breaking change
# to the shared proto needs a new major version of the package.
#
#   scripts/buf-breaking.sh [REF]     REF defaults to HEAD~1, the previous commit
#
# Skips (exit 0, with a message) when REF does not exist, for example in a shallow clone of depth 1
# (`git fetch --deepen=1` fixes that), or when REF has no proto/. Messages go to stderr.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf 'buf-breaking: %s\n' "$*" >&2; }

ref=${1:-HEAD~1}
buf=node_modules/.bin/buf
[ -x "$buf" ] || { say "error: $buf is missing; run npm ci"; exit 1; }

if ! git rev-parse --verify --quiet "$ref^{commit}" >/dev/null; then
  say "skipped: there is no commit $ref here (first commit, or a shallow clone: git fetch --deepen=1)"
  exit 0
fi
if ! git cat-file -e "$ref:proto" 2>/dev/null; then
  say "skipped: $ref has no proto/"
  exit 0
fi

major_of() { node -e 'let s="";process.stdin.on("data",(d)=>(s+=d)).on("end",()=>console.log(JSON.parse(s).version.split(".")[0]))'; }
major_now=$(major_of <package.json)
major_then=$(git show "$ref:package.json" | major_of)

commit=$(git rev-parse --short "$ref^{commit}")
say "comparing proto/ with $ref ($commit); package major version $major_then -> $major_now"
status=0
"$buf" breaking proto --against ".git#ref=$commit,subdir=proto" || status=$?
case $status in
  0)
    say "no breaking change"
    ;;
  100) # buf found breaking changes (listed above)
    if [ "$major_now" != "$major_then" ]; then
      say "breaking changes accepted: the major version changed ($major_then -> $major_now)"
      status=0
    else
      say "error: breaking changes to the shared proto need a new major version of the package (now $major_now)"
      status=1
    fi
    ;;
  *)
    say "error: buf breaking could not run (exit $status)"
    ;;
esac
exit "$status"
