#!/bin/sh
# Applies every app's migrations, one app after the other (compose one-shot, Kubernetes Job).
set -e
for app in profile-import segmentation smartfocus-dispatch metrics-collector smartfocus-simulator console; do
  node "dist/apps/$app/src/main.js" migrate
done
