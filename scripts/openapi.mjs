// `npm run openapi` (after a build): writes docs/openapi.json and the typed client's
// src/client/api-types.ts from the schemas in src/http/openapi/. Commit both.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { renderContractFiles } from '../dist/src/http/openapi/render-files.js';

for (const [path, text] of Object.entries(await renderContractFiles())) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  process.stdout.write(`wrote ${path}\n`);
}
