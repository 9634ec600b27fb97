#!/usr/bin/env node
// The installed `nimbus` command: runs the bundled CLI (made by `npm run build`).
import '../dist/nimbus.mjs';
