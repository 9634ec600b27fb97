#!/usr/bin/env node
// The installed `nimbus` command: runs the compiled CLI (build with `npm run build`).
import '../dist/src/cli/main.js';
