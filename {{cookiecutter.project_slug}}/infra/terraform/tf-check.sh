#!/usr/bin/env bash
# Static checks for the Terraform stacks: fmt, init (no backend), validate, terraform test and
# checkov. Usage: tf-check.sh [stack ...]   (default: every stack folder next to this script)
# Needs terraform and uv; providers download from the registry unless TF_CLI_CONFIG_FILE says
# otherwise. CHECKOV_VERSION overrides the pinned checkov.
set -euo pipefail

CHECKOV_VERSION="${CHECKOV_VERSION:-3.3.30}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

export TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
# Never prompt: a missing value is an error, not a question.
export TF_INPUT=0

step() { printf '\n==> %s\n' "$*"; }

if [[ $# -gt 0 ]]; then
  stacks=("$@")
else
  stacks=()
  for dir in "$here"/*/; do
    compgen -G "${dir}*.tf" >/dev/null && stacks+=("$(basename "$dir")")
  done
fi
[[ -n "${stacks[*]:-}" ]] || { echo "no Terraform stacks found in $here" >&2; exit 1; }

for tool in terraform uv; do
  command -v "$tool" >/dev/null || { echo "$tool is required (see infra/terraform/README.md)" >&2; exit 1; }
done

for stack in "${stacks[@]}"; do
  dir="$here/$stack"
  [[ -d $dir ]] || { echo "unknown stack: $stack (no folder $dir)" >&2; exit 1; }

  step "$stack: terraform fmt -check -recursive"
  terraform -chdir="$dir" fmt -check -recursive -diff

  # The stack and any extra root below it (aws/bootstrap) are validated on their own.
  for root in "$dir" "$dir"/*/; do
    root="${root%/}"
    compgen -G "$root/*.tf" >/dev/null || continue
    name="${root#"$here"/}"
    step "$name: terraform init -backend=false"
    terraform -chdir="$root" init -backend=false -input=false -no-color >/dev/null
    step "$name: terraform validate"
    terraform -chdir="$root" validate -no-color
    if [[ -d $root/tests ]]; then
      step "$name: terraform test"
      terraform -chdir="$root" test -no-color
    fi
  done

  step "$stack: checkov $CHECKOV_VERSION"
  # Its own throwaway environment: checkov's pins clash with the project's dependencies.
  uv tool run --from "checkov==$CHECKOV_VERSION" checkov \
    --config-file "$here/checkov.yaml" \
    --external-checks-dir "$here/checkov-policies" \
    --directory "$dir"
done

step "all checks passed: ${stacks[*]}"
