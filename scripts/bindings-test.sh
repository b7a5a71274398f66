#!/usr/bin/env bash
# Multi-language check of cdk-gov-hybrid-network (npm run bindings:test), from a clean clone after `npm ci`:
#
#   1. compile     jsii (lib/ and .jsii), as `projen compile`
#   2. typescript  jsii-rosetta extract --strict (README.md and docstring samples compile, fixture rosetta/), the
#                  README's TypeScript first example runs, the reference error message, the reference Network stack
#   3. js          jsii-pacmak --target js      -> dist/js     (npm tarball)
#   4. python      jsii-pacmak --target python  -> dist/python (wheel); a virtual environment with the wheel,
#                  aws-cdk-lib and constructs at the TypeScript build's versions; pytest in examples/python
#   5. java        jsii-pacmak --target java    -> dist/java   (Maven repository); mvn test in examples/java
#   6. go          jsii-pacmak --target go      -> dist/go     (Go module); go build ./... and go test in examples/go
#   7. README      the Python, Java and Go first examples in README.md are the tested files, character for character
#
# The bindings use aws-cdk-lib and constructs at exactly the versions the TypeScript library is built with (from
# node_modules). Where a registry does not serve that aws-cdk-lib version (yet), the script builds the binding of the
# npm package locally with jsii-pacmak, once per version, into a cache (BINDINGS_CACHE_DIR, default
# ~/.cache/cdk-gov-hybrid-network/bindings): the Python wheel of aws-cdk-lib, and the Maven artifacts of aws-cdk-lib and
# @aws-cdk/cloud-assembly-schema. For Go the jsii runtime module (github.com/aws/jsii-runtime-go) and the aws-cdk-go
# modules must come from the Go module proxy; where the proxy refuses them, the Go modules of aws-cdk-lib and its jsii
# dependencies are generated locally as well and the jsii runtime is taken from a checkout named by JSII_RUNTIME_GO_DIR.
# Without one, the Go check is PARTIAL (code generation and gofmt only) and says why.
#
# Environment: BINDINGS_ONLY="python java" runs a subset (compile and typescript always run); BINDINGS_REQUIRE_GO=1
# makes a PARTIAL Go check fail; BINDINGS_KEEP_WORK=1 keeps the work directory.
# Exit code: non-zero when any check failed. Last line: "N passed, N failed".
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
export CDK_DISABLE_CLI_TELEMETRY=true
export NODE_OPTIONS="${NODE_OPTIONS:-} --max-old-space-size=8192"
BIN="$ROOT/node_modules/.bin"

CDK_VERSION="$(node -p "require('aws-cdk-lib/package.json').version")"
CONSTRUCTS_VERSION="$(node -p "require('constructs/package.json').version")"
CAS_VERSION="$(node -p "require('@aws-cdk/cloud-assembly-schema/package.json').version")"
PACMAK_VERSION="$(node -p "require('jsii-pacmak/package.json').version")"
LIB_VERSION="$(node -p "require('./package.json').version")"
CACHE="${BINDINGS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk-gov-hybrid-network/bindings}/aws-cdk-lib-${CDK_VERSION}-pacmak-${PACMAK_VERSION}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/bindings-test.XXXXXX")"
LOG="${BINDINGS_LOG_DIR:-$ROOT/test-reports/bindings}"
rm -rf "$LOG" && mkdir -p "$CACHE" "$LOG"
[ "${BINDINGS_KEEP_WORK:-}" = 1 ] || trap 'rm -rf "$WORK"' EXIT

# The message TypeScript gives for one bad input; every binding must raise exactly this text.
EXPECTED_ERROR=$'Invalid OverlappingCidrOpsAccess props at Network/OpsAccess (1 problem):\n  - `operatorTerminalCidrs[0]` 10.0.210.0/33 is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32.'

declare -a SUMMARY=()
passed=0
failed=0
wanted() { [ -z "${BINDINGS_ONLY:-}" ] || [[ " ${BINDINGS_ONLY} " == *" $1 "* ]]; }

# check NAME COMMAND...: runs one check, its output to $LOG/NAME.log (shown when it fails), and records the result.
check() {
  local name="$1"; shift
  local start=$SECONDS status
  echo "::: ${name}"
  if "$@" >"$LOG/${name}.log" 2>&1; then
    status=ok; passed=$((passed + 1))
  else
    status=FAILED; failed=$((failed + 1))
    tail -n 60 "$LOG/${name}.log" | sed 's/^/    /'
  fi
  local seconds=$((SECONDS - start))
  echo "::: ${name}: ${status} (${seconds} s)"
  SUMMARY+=("$(printf '%-28s %-8s %5d s' "$name" "$status" "$seconds")")
  [ "$status" = ok ]
}
note() {
  echo "::: $1"
  SUMMARY+=("$1")
}

pacmak() { "$BIN/jsii-pacmak" "$@"; }

# ------------------------------------------------------------------------------------------------------------ compile
check compile "$BIN/jsii" --silence-warnings=reserved-word || { echo "jsii compile failed; nothing else can run"; exit 1; }

# --------------------------------------------------------------------------------------------------------- typescript
rosetta_strict() {
  # README.md is part of the assembly; the samples get rosetta/default.ts-fixture unless marked `nofixture`.
  "$BIN/jsii-rosetta" extract --strict --compress-tablet=false -o "$WORK/rosetta-tablet.json" .jsii
}
check typescript:rosetta rosetta_strict

readme_block() { # readme_block LANG: the code of the README block between the bindings:LANG markers
  python3 - "$1" <<'PY'
import re, sys
text = open('README.md', encoding='utf-8').read()
m = re.search(r'<!-- bindings:%s begin -->\s*```[^\n]*\n(.*?)```\s*<!-- bindings:%s end -->' % (sys.argv[1], sys.argv[1]), text, re.S)
if not m:
    sys.exit('README.md has no block between <!-- bindings:%s begin --> and <!-- bindings:%s end -->' % (sys.argv[1], sys.argv[1]))
sys.stdout.write(m.group(1))
PY
}

ts_first_example() {
  # The README's TypeScript first example, run against the compiled library (lib/), must synthesize the hub.
  mkdir -p "$WORK/ts"
  readme_block typescript | sed "s#from 'cdk-gov-hybrid-network'#from '$ROOT/lib'#" >"$WORK/ts/first-example.ts" || return 1
  (cd "$WORK/ts" && NODE_PATH="$ROOT/node_modules" CDK_OUTDIR="$WORK/ts/cdk.out" "$BIN/tsx" first-example.ts) &&
    grep -q '"AWS::EC2::TransitGateway"' "$WORK/ts/cdk.out/Network.template.json"
}
check typescript:readme-example ts_first_example

ts_error_message() {
  cat >"$WORK/error.js" <<'JS'
const { App, Stack } = require('aws-cdk-lib');
const { OverlappingCidrOpsAccess, SessionPreferencesMode } = require(process.env.LIBRARY);
const stack = new Stack(new App(), 'Network', { env: { account: '222222222222', region: 'ap-northeast-1' } });
try {
  new OverlappingCidrOpsAccess(stack, 'OpsAccess', {
    sessionPreferences: SessionPreferencesMode.STACK_MANAGED,
    availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'],
    operatorTerminalCidrs: ['10.0.210.0/33'],
  });
  console.error('no error raised');
  process.exit(1);
} catch (e) {
  if (e.message !== process.env.EXPECTED_ERROR) {
    console.error(`TypeScript message:\n${e.message}\nexpected (as in the binding tests):\n${process.env.EXPECTED_ERROR}`);
    process.exit(1);
  }
}
JS
  EXPECTED_ERROR="$EXPECTED_ERROR" LIBRARY="$ROOT/lib" NODE_PATH="$ROOT/node_modules" node "$WORK/error.js"
}
check typescript:error-message ts_error_message

# The reference deployment's Network stack, synthesized from the TypeScript source: the Python and Java ports must
# build the same resources.
ts_reference() {
  (cd examples/reference-deployment &&
    "$BIN/cdk" synth --lookups false --quiet --no-notices --no-version-reporting --output "$WORK/reference.out" GovHybrid-Network)
}
TS_NETWORK_TEMPLATE=""
if { wanted python || wanted java; } && check typescript:reference-synth ts_reference; then
  TS_NETWORK_TEMPLATE="$WORK/reference.out/GovHybrid-Network.template.json"
fi

# ----------------------------------------------------------------------------------------------------------------- js
wanted js && check js:package pacmak -v --target js

# ------------------------------------------------------------------------------------------------------------- python
python_cdk_lib() {
  # aws-cdk-lib's wheel at exactly $CDK_VERSION: from PyPI, or built from the npm package once.
  if ls "$CACHE"/python/aws_cdk_lib-"$CDK_VERSION"-*.whl >/dev/null 2>&1; then
    echo "aws-cdk-lib $CDK_VERSION wheel: cached in $CACHE/python"; return 0
  fi
  if python3 -m pip download --quiet --no-deps --only-binary=:all: -d "$CACHE/python" "aws-cdk-lib==$CDK_VERSION"; then
    echo "aws-cdk-lib $CDK_VERSION wheel: from PyPI"; return 0
  fi
  echo "aws-cdk-lib $CDK_VERSION is not on PyPI: building its wheel from the npm package with jsii-pacmak"
  local src="$WORK/cdk-lib-src"
  stage_cdk_lib_source "$src" || return 1
  (cd "$src" && pacmak -v --target python -o "$CACHE/py-build" node_modules/aws-cdk-lib) || return 1
  mkdir -p "$CACHE/python" && cp "$CACHE"/py-build/python/aws_cdk_lib-"$CDK_VERSION"-*.whl "$CACHE/python/" && rm -rf "$CACHE/py-build"
}

# stage_cdk_lib_source DIR: aws-cdk-lib and its jsii dependencies from node_modules, in a directory of their own
# (jsii-pacmak packs a package with `npm pack` and reads its dependencies next to it).
stage_cdk_lib_source() {
  rm -rf "$1" && mkdir -p "$1/node_modules/@aws-cdk" || return 1
  echo '{"name":"cdk-lib-bindings","private":true}' >"$1/package.json"
  cp -R node_modules/aws-cdk-lib node_modules/constructs "$1/node_modules/" &&
    cp -R node_modules/@aws-cdk/. "$1/node_modules/@aws-cdk/"
}

python_venv() {
  python3 -m venv "$WORK/venv" &&
    "$WORK/venv/bin/pip" install --quiet --progress-bar off --find-links "$CACHE/python" \
      dist/python/cdk_gov_hybrid_network-"$LIB_VERSION"-py3-none-any.whl \
      "aws-cdk-lib==$CDK_VERSION" "constructs==$CONSTRUCTS_VERSION" 'pytest>=8,<10' &&
    "$WORK/venv/bin/pip" list 2>/dev/null | grep -Ei '^(aws-cdk|constructs|jsii|cdk-gov)'
}

python_tests() {
  (cd examples/python && GOV_TS_NETWORK_TEMPLATE="$TS_NETWORK_TEMPLATE" \
    "$WORK/venv/bin/python" -m pytest -p no:cacheprovider -v tests)
}

if wanted python; then
  check python:package pacmak -v --target python &&
    check python:aws-cdk-lib python_cdk_lib &&
    check python:venv python_venv &&
    check python:tests python_tests
  grep -E '^(tests/.*(PASSED|FAILED|SKIPPED|ERROR)|=+ .* =+$)' "$LOG/python:tests.log" 2>/dev/null | sed 's/^/    /'
fi

# --------------------------------------------------------------------------------------------------------------- java
M2="$CACHE/m2"
mvn_local() { mvn -B -q -Dmaven.repo.local="$M2" "$@"; }

java_cdk_lib() {
  # aws-cdk-lib's Maven artifacts at exactly $CDK_VERSION: from Maven Central, or built from the npm package once
  # (with @aws-cdk/cloud-assembly-schema, which aws-cdk-lib needs at a version Maven Central may lack too).
  if mvn_local dependency:get -Dtransitive=true -Dartifact="software.amazon.awscdk:aws-cdk-lib:$CDK_VERSION"; then
    echo "aws-cdk-lib $CDK_VERSION: from Maven Central (or cached in $M2)"; return 0
  fi
  echo "aws-cdk-lib $CDK_VERSION is not on Maven Central: building its Maven artifacts from the npm package with jsii-pacmak"
  local src="$WORK/cdk-lib-src"
  [ -d "$src/node_modules/aws-cdk-lib" ] || stage_cdk_lib_source "$src" || return 1
  if ! mvn_local dependency:get -Dtransitive=false -Dartifact="software.amazon.awscdk:cdk-cloud-assembly-schema:$CAS_VERSION"; then
    (cd "$src" && pacmak -v --target java --maven-local-repository "$M2" -o "$WORK/java-build" \
      node_modules/@aws-cdk/cloud-assembly-schema) || return 1
  fi
  # The javadoc jar of aws-cdk-lib is skipped: it takes longer than the compilation and nobody reads it here.
  (cd "$src" && pacmak -v --target java --maven-local-repository "$M2" -o "$WORK/java-build" \
    --mvn-define maven.javadoc.skip=true node_modules/aws-cdk-lib)
}

java_package() {
  pacmak -v --target java --maven-local-repository "$M2"
}

java_tests() {
  # The library comes from dist/java, not from the local repository the packaging step installed it into.
  rm -rf "$M2/io/github/cdk-gov-hybrid-network"
  (cd examples/java && GOV_TS_NETWORK_TEMPLATE="$TS_NETWORK_TEMPLATE" mvn -B -Dmaven.repo.local="$M2" -Dgov.repository="file://$ROOT/dist/java" \
    -Dgov.version="$LIB_VERSION" -Dcdk.version="$CDK_VERSION" -Dconstructs.version="$CONSTRUCTS_VERSION" \
    -Dstyle.color=never test)
}

if wanted java; then
  check java:aws-cdk-lib java_cdk_lib &&
    check java:package java_package &&
    check java:tests java_tests
  grep -E 'Tests run:|FAIL|ERROR\]' "$LOG/java:tests.log" 2>/dev/null | sed 's/^/    /' | head -20
fi

# ----------------------------------------------------------------------------------------------------------------- go
GO_CACHE="$CACHE/go"
go_runtime_dir=""
go_deps_from_proxy() {
  # The modules the generated go.mod requires, from the Go module proxy.
  (cd "$WORK" && rm -rf goprobe && mkdir goprobe && cd goprobe && go mod init probe >/dev/null 2>&1 &&
    go mod download "github.com/aws/aws-cdk-go/awscdk/v2@v$CDK_VERSION" "github.com/aws/jsii-runtime-go@v$PACMAK_VERSION" \
      "github.com/aws/constructs-go/constructs/v10@v$CONSTRUCTS_VERSION")
}

# go_local_modules: the Go modules of aws-cdk-lib, constructs and aws-cdk-lib's jsii dependencies, generated from the
# npm packages (code only), once per version.
go_local_modules() {
  if [ -f "$GO_CACHE/.complete" ]; then echo "local Go modules: cached in $GO_CACHE"; return 0; fi
  local src="$WORK/cdk-lib-src"
  [ -d "$src/node_modules/aws-cdk-lib" ] || stage_cdk_lib_source "$src" || return 1
  rm -rf "$GO_CACHE" && mkdir -p "$GO_CACHE" || return 1
  local pkg
  for pkg in constructs @aws-cdk/asset-awscli-v1 @aws-cdk/asset-node-proxy-agent-v6 @aws-cdk/cloud-assembly-schema aws-cdk-lib; do
    (cd "$src" && pacmak -v --target go --code-only -o "$GO_CACHE" "node_modules/$pkg") || return 1
  done
  touch "$GO_CACHE/.complete"
}

# go_modfile DIR OUT: DIR's go.mod with the library's module replaced by dist/go (absolute path) and, when the modules
# were generated locally, replace directives for each of them and for the jsii runtime checkout. The copy keeps
# `go` from writing go.mod or go.sum in the repository.
go_modfile() {
  cp "$1/go.mod" "$2" || return 1
  if [ -n "$go_runtime_dir" ]; then
    local mod name
    while IFS= read -r mod; do
      name="$(sed -n 's/^module //p' "$mod")"
      go mod edit -replace="$name=$(dirname "$mod")" "$2" || return 1
    done < <(find "$GO_CACHE" -name go.mod)
    go mod edit -replace="github.com/aws/jsii-runtime-go=$go_runtime_dir" "$2" || return 1
  fi
  if [ "$1" != "$ROOT/dist/go/cdkgovhybridnetwork" ]; then
    go mod edit -replace="github.com/example/cdk-gov-hybrid-network-go/cdkgovhybridnetwork=$ROOT/dist/go/cdkgovhybridnetwork" "$2"
  fi
}

go_codegen() {
  # gofmt parses every generated file: exit status 2 on a syntax error (unformatted files are not an error).
  rm -rf dist/go && pacmak -v --target go --code-only && gofmt -e -l dist/go >/dev/null
}

go_build_local() {
  go_modfile "$ROOT/dist/go/cdkgovhybridnetwork" "$WORK/lib.go.mod" &&
    (cd dist/go/cdkgovhybridnetwork && GOFLAGS=-mod=mod go build -modfile="$WORK/lib.go.mod" ./...)
}
go_build_proxy() {
  pacmak -v --target go # as `projen package:go`: go mod tidy and go build ./... on the generated module
}
go_tests() {
  go_modfile "$ROOT/examples/go" "$WORK/example.go.mod" &&
    (cd examples/go && GOFLAGS=-mod=mod go test -modfile="$WORK/example.go.mod" -count=1 -v ./...)
}

if wanted go; then
  if ! command -v go >/dev/null 2>&1; then
    check go:toolchain false
  elif go_deps_from_proxy >"$LOG/go:proxy-probe.log" 2>&1; then
    check go:package go_build_proxy && check go:tests go_tests
  else
    reason="$(grep -m1 -oE '[^ ]+: reading [^ ]+: [0-9]{3} [A-Za-z ]+' "$LOG/go:proxy-probe.log" || tail -n1 "$LOG/go:proxy-probe.log")"
    check go:codegen go_codegen
    if [ -n "${JSII_RUNTIME_GO_DIR:-}" ] && [ -f "${JSII_RUNTIME_GO_DIR}/go.mod" ]; then
      go_runtime_dir="$(cd "$JSII_RUNTIME_GO_DIR" && pwd)"
      check go:local-modules go_local_modules &&
        check go:build go_build_local &&
        check go:tests go_tests
    else
      note "go: PARTIAL - code generation and gofmt only. The Go module proxy does not serve the modules the generated code needs ($reason); set JSII_RUNTIME_GO_DIR to a checkout of github.com/aws/jsii-runtime-go to build and test against locally generated aws-cdk-go modules."
      if [ "${BINDINGS_REQUIRE_GO:-}" = 1 ]; then failed=$((failed + 1)); fi
    fi
  fi
  grep -E '^(--- |=== RUN|ok |FAIL|PASS)' "$LOG/go:tests.log" 2>/dev/null | sed 's/^/    /'
fi

# ------------------------------------------------------------------------------------------------------------- README
readme_in_sync() {
  # The README's Python, Java and Go first examples are the tested files, between their [README:lang] markers.
  local lang file status=0
  for pair in python:examples/python/first_example.py \
    java:examples/java/src/main/java/io/github/cdkgovhybridnetwork/examples/FirstExample.java go:examples/go/main.go; do
    lang="${pair%%:*}"; file="${pair#*:}"
    python3 - "$lang" "$file" <<'PY' || status=1
import re, sys
lang, path = sys.argv[1], sys.argv[2]
source = open(path, encoding='utf-8').read()
m = re.search(r'^[ \t]*(?:#|//) \[README:%s\]\n(.*?)^[ \t]*(?:#|//) \[/README:%s\]' % (lang, lang), source, re.S | re.M)
if not m:
    sys.exit('%s: no [README:%s] ... [/README:%s] region' % (path, lang, lang))
tested = m.group(1).rstrip() + '\n'
readme = open('README.md', encoding='utf-8').read()
r = re.search(r'<!-- bindings:%s begin -->\s*```[^\n]*\n(.*?)```\s*<!-- bindings:%s end -->' % (lang, lang), readme, re.S)
if not r:
    sys.exit('README.md: no block between <!-- bindings:%s begin --> and <!-- bindings:%s end -->' % (lang, lang))
if r.group(1) != tested:
    import difflib
    sys.stdout.writelines(difflib.unified_diff(r.group(1).splitlines(True), tested.splitlines(True), 'README.md', path))
    sys.exit('README.md: the %s first example differs from %s (diff above)' % (lang, path))
print('%s: README.md block == %s' % (lang, path))
PY
  done
  return $status
}
check readme:examples-in-sync readme_in_sync

# ------------------------------------------------------------------------------------------------------------ summary
echo
echo "bindings summary (aws-cdk-lib $CDK_VERSION, constructs $CONSTRUCTS_VERSION, jsii-pacmak $PACMAK_VERSION; logs: $LOG)"
for line in "${SUMMARY[@]}"; do echo "  $line"; done
du -sh dist/* 2>/dev/null | sed 's/^/  /'
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
