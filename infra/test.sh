#!/usr/bin/env bash
# Runs every test of Fleet: unit, integration (real SQLite, real Mosquitto, real HTTP) and browser (Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash infra/install.sh test
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build Fleet.sln -c Release -warnaserror
dotnet test Fleet.sln -c Release --no-build --logger "console;verbosity=minimal" "$@"
