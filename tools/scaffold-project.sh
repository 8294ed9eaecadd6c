#!/usr/bin/env bash
# Writes project.json, tsconfig.json and jest.config.cjs for a new app or lib.
# usage: tools/scaffold-project.sh apps|libs NAME "tag1,tag2"
set -euo pipefail
kind=$1 name=$2 tags=$3
dir="$kind/$name"
mkdir -p "$dir/src"
tag_json=$(printf '%s' "$tags" | awk -F, '{for(i=1;i<=NF;i++){printf "%s\"%s\"", (i>1?", ":""), $i}}')
type=$([ "$kind" = apps ] && echo application || echo library)
cat > "$dir/project.json" <<JSON
{
  "name": "$name",
  "\$schema": "../../node_modules/nx/schemas/project-schema.json",
  "sourceRoot": "$dir/src",
  "projectType": "$type",
  "tags": [$tag_json],
  "targets": {
    "build": {
      "executor": "nx:run-commands",
      "outputs": ["{workspaceRoot}/dist/$dir"],
      "options": { "command": "swc $dir/src -d dist --config-file .swcrc --quiet" }
    },
    "typecheck": {
      "executor": "nx:run-commands",
      "options": { "command": "tsc -p $dir/tsconfig.json --noEmit" }
    },
    "lint": {
      "executor": "nx:run-commands",
      "options": { "command": "eslint $dir --max-warnings=0" }
    },
    "test": {
      "executor": "nx:run-commands",
      "options": { "command": "jest -c $dir/jest.config.cjs --passWithNoTests=false" }
    }
  }
}
JSON
cat > "$dir/tsconfig.json" <<JSON
{
  "extends": "../../tsconfig.base.json",
  "compilerOptions": { "types": ["node", "jest"] },
  "include": ["src/**/*.ts", "test/**/*.ts"]
}
JSON
cat > "$dir/jest.config.cjs" <<JS
const preset = require('../../jest.preset.js');

module.exports = { ...preset, displayName: '$name', rootDir: __dirname };
JS
