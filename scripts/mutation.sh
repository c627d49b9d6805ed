#!/usr/bin/env bash
# Mutation testing of the deciders and policies : Stryker with the jest runner, one
# service at a time, each against its own specs. Usage: npm run test:mutation [-- service ...]
# Reports: reports/mutation/<service>.html and .json. Not part of `npm test` (it takes minutes).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
services=("$@")
[ ${#services[@]} -gt 0 ] || services=(community-establishment staffing-elections facility-construction)
# The services' application specs load ESM-only packages (NestJS 12), as in `npm test`.
export NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules"
for service in "${services[@]}"; do
  echo "== mutation testing of ${service}: decide.ts (and its slices in decide/) and policy.ts against its own specs"
  STRYKER_SERVICE="$service" npx stryker run stryker/stryker.config.mjs
done
