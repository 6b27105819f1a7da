#!/usr/bin/env node
// Writes test/fixtures/jd-model-types.json: the JSON type of every field of JD Cloud's published
// response models (vm, vpc, disk, charge, common), read from the Go SDK's generated model and API
// structs, which are what JD's Go SDK (and so its Terraform provider) decodes into. Only field names
// and their JSON types are kept. Usage: node scripts/dev/jd-model-types.mjs DIR, where DIR holds
// DIR/<service>/*.go (each service's models/ and apis/ folders of a jdcloud-sdk-go checkout).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SERVICES = ['vm', 'vpc', 'disk', 'charge', 'common'];
const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: jd-model-types.mjs DIR\n');
  process.exit(2);
}

/**
 * Go type → our notation: string | bool | number | any | map | []T | service.Name.
 * @param {string} goType
 * @param {string} service
 * @returns {string}
 */
function jsonType(goType, service) {
  const t = goType.replace(/^\*/, '');
  if (t.startsWith('[]')) return `[]${jsonType(t.slice(2), service)}`;
  if (t === 'string') return 'string';
  if (t === 'bool') return 'bool';
  if (/^(u?int(8|16|32|64)?|float(32|64))$/.test(t)) return 'number';
  if (t.startsWith('map[')) return 'map';
  if (t === 'interface{}' || t === 'json.RawMessage') return 'any';
  if (t.includes('.')) return t; // another service's model, e.g. disk.Disk
  return `${service}.${t}`;
}

/** @type {Record<string, Record<string, string>>} */
const models = {};
for (const service of SERVICES) {
  for (const file of readdirSync(join(dir, service))
    .filter((f) => f.endsWith('.go'))
    .sort()) {
    const text = readFileSync(join(dir, service, file), 'utf8');
    for (const m of text.matchAll(/^type (\w+) struct \{([\s\S]*?)^\}/gm)) {
      /** @type {Record<string, string>} */
      const fields = {};
      const [, name = '', body = ''] = m;
      for (const [, goType = '', jsonName = ''] of body.matchAll(/^\s+\w+ (\S+) `json:"([^",]+)[^"]*"`/gm)) {
        fields[jsonName] = jsonType(goType, service);
      }
      // Requests and response wrappers are not what a client decodes results into.
      if (!/(Request|Response)$/.test(name)) models[`${service}.${name}`] = fields;
    }
  }
}
const out = new URL('../../test/fixtures/jd-model-types.json', import.meta.url);
writeFileSync(out, JSON.stringify(models, null, 1) + '\n');
process.stderr.write(`${Object.keys(models).length} models written to ${out.pathname}\n`);
