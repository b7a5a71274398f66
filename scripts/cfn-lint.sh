#!/usr/bin/env bash
# Runs the project's pinned cfn-lint from a project-local virtual environment, creating it on first use.
# cfn-lint's resource schemas must be at least as new as aws-cdk-lib's: 1.51 (the machine image's) rejects
# properties that aws-cdk-lib 2.276 emits and CloudFormation accepts (e.g. Tags on ELBv2 listeners).
set -euo pipefail
CFN_LINT_VERSION=1.58.0
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${root}/.venv-cfn-lint"
if [ ! -x "${venv}/bin/cfn-lint" ] || ! "${venv}/bin/cfn-lint" --version 2>/dev/null | grep -qx "cfn-lint ${CFN_LINT_VERSION}"; then
  python3 -m venv "${venv}" >&2
  "${venv}/bin/pip" install --quiet --disable-pip-version-check "cfn-lint==${CFN_LINT_VERSION}" >&2
fi
exec "${venv}/bin/cfn-lint" "$@"
