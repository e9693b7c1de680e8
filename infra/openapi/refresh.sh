#!/usr/bin/env bash
# Writes the OpenAPI document the API serves to docs/api/openapi-v1.json, the contract the generated client (Kiota,
# built by tests/Fleet.Api.Tests) and other consumers use. Run it after changing an endpoint; review the diff.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build tests/Fleet.Api.Tests -c Release -p:SkipGeneratedClient=true >/dev/null
FLEET_REFRESH_OPENAPI=1 dotnet test tests/Fleet.Api.Tests -c Release --no-build \
  --filter "FullyQualifiedName~CommittedDocumentTests" --logger "console;verbosity=minimal"
git --no-pager diff --stat -- docs/api/openapi-v1.json || true
