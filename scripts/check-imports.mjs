#!/usr/bin/env node
// Import-direction check run by `npm run lint`: reads every source and test file under packages/ and
// fails on an import the rules in scripts/import-rules.mjs forbid. It changes no file.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KNOWN_VIOLATIONS, importsOf, resolveSpecifier, violation } from './import-rules.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = /\.(?:[cm]?ts|[cm]?js)$/;
const SKIP = new Set(['node_modules', 'dist', 'coverage']);

/**
 * Repository-relative paths of the source files under `dir`.
 * @param {string} dir absolute
 * @returns {string[]}
 */
function sources(dir) {
  /** @type {string[]} */
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      out.push(relative(ROOT, path).split(sep).join('/'));
    }
  }
  return out;
}

const files = readdirSync(join(ROOT, 'packages'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) => sources(join(ROOT, 'packages', d.name)));

/** @type {string[]} */
const found = [];
const seen = new Set();
for (const file of files) {
  for (const ref of importsOf(file, readFileSync(join(ROOT, file), 'utf8'))) {
    const why = violation(file, ref);
    if (!why) continue;
    const key = `${file} -> ${resolveSpecifier(file, ref.specifier)}`;
    seen.add(key);
    if (!KNOWN_VIOLATIONS.includes(key)) found.push(`${file}:${ref.line}: '${ref.specifier}': ${why}`);
  }
}
const stale = KNOWN_VIOLATIONS.filter((k) => !seen.has(k));
for (const line of found) console.error(line);
for (const k of stale) {
  console.error(
    `KNOWN_VIOLATIONS lists ${k}, which no longer occurs: remove it from scripts/import-rules.mjs`,
  );
}
if (found.length || stale.length) {
  console.error(
    `import check: ${found.length} forbidden import(s), ${stale.length} stale known violation(s)`,
  );
  process.exit(1);
}
console.log(`import check: ${files.length} files, ${KNOWN_VIOLATIONS.length} known violation(s) pending`);
