#!/usr/bin/env node
// First step of `npm run dist`: the Electron packaging toolchain is published for Node ≥ 22.12 (see
// node-requirements.js). Say so plainly instead of letting it fail somewhere inside electron-builder.
import { atLeast, NODE_FOR_PACKAGING, NODE_FOR_STACK } from './node-requirements.js';

if (!atLeast(process.version, NODE_FOR_PACKAGING)) {
  process.stderr.write(
    `npm run dist needs Node ${NODE_FOR_PACKAGING} or newer (Electron's installer and electron-builder's rebuild are published for it); this is Node ${process.version.slice(1)}.\n` +
      `Install Node 22 LTS (e.g. nvm install 22) to build desktop packages. Everything else — npm start, npm test, the bulkhead CLI — runs on Node ${NODE_FOR_STACK} or newer.\n`,
  );
  process.exit(1);
}
