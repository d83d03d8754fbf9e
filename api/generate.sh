#!/usr/bin/env bash
# Regenerates the Go packages under api/ from api/proto with pinned tools:
# protoc from Debian's protobuf-compiler (3.21.12, bookworm) and protoc-gen-go at
# the google.golang.org/protobuf version in go.mod (a `tool` dependency).
#
# Usage: go generate ./api/   (or: bash api/generate.sh [OUTDIR])
# With OUTDIR, writes the module-relative tree there instead of in place, which
# .ci/run uses to prove the committed code is fresh.
set -euo pipefail

want_protoc="libprotoc 3.21.12"
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
out=${1:-$root}

if ! command -v protoc >/dev/null 2>&1; then
  echo "generate: protoc not found; install it with: apt-get install protobuf-compiler ($want_protoc)" >&2
  exit 1
fi
have=$(protoc --version)
if [ "$have" != "$want_protoc" ]; then
  echo "generate: protoc is '$have', want '$want_protoc' (Debian bookworm's protobuf-compiler)" >&2
  exit 1
fi

bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
(cd "$root" && go build -o "$bin/protoc-gen-go" google.golang.org/protobuf/cmd/protoc-gen-go)

mkdir -p "$out"
cd "$here/proto"
# One protoc run per proto package: protoc-gen-go wants each Go package's files together.
for dir in mesos/v1 mesos/v1/scheduler mesos/v1/executor mesos/v1/master mesos/v1/quota mesos/v1/maintenance mesos/v1/allocator; do
  protoc --plugin=protoc-gen-go="$bin/protoc-gen-go" \
    --go_out="$out" --go_opt=module=github.com/mesos-sim/mesos-sim \
    -I . "$dir"/*.proto
done
