// Checks a response against the JSON types of JD Cloud's published models
// (test/fixtures/jd-model-types.json, derived from JD's Go SDK): a field whose JSON type differs from
// the model's is what breaks JD's Go SDK and Terraform provider ("cannot unmarshal string into bool").
// Unknown fields are allowed (JD's decoders ignore them); null decodes to Go's zero value.
import { readFileSync } from 'node:fs';

type Models = Record<string, Record<string, string>>;

const MODELS = JSON.parse(
  readFileSync(new URL('../fixtures/jd-model-types.json', import.meta.url), 'utf8'),
) as Models;

/** Every place where `value` does not have the JSON type of model `model` (e.g. 'vm.Instance'). */
export function jdTypeMismatches(model: string, value: unknown, path = model): string[] {
  const fields = MODELS[model];
  if (!fields) throw new Error(`no JD model ${model}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`${path}: expected an object, got ${JSON.stringify(value)}`];
  }
  const out: string[] = [];
  for (const [name, v] of Object.entries(value)) {
    const type = fields[name];
    if (type !== undefined) out.push(...typeMismatches(type, v, `${path}.${name}`));
  }
  return out;
}

function typeMismatches(type: string, v: unknown, path: string): string[] {
  if (v === null || type === 'any') return [];
  if (type.startsWith('[]')) {
    if (!Array.isArray(v)) return [`${path}: expected an array, got ${JSON.stringify(v)}`];
    return v.flatMap((e, i) => typeMismatches(type.slice(2), e, `${path}[${i}]`));
  }
  const primitive: Record<string, string> = {
    string: 'string',
    bool: 'boolean',
    number: 'number',
    map: 'object',
  };
  const want = primitive[type];
  if (want !== undefined) {
    return typeof v === want ? [] : [`${path}: expected ${type}, got ${JSON.stringify(v)}`];
  }
  return jdTypeMismatches(type, v, path);
}

/** Asserts that `value` decodes into JD model `model` (jest-friendly message listing every field). */
export function expectJdShape(model: string, value: unknown): void {
  const problems = jdTypeMismatches(model, value);
  if (problems.length > 0) throw new Error(`response does not match JD's ${model}:\n${problems.join('\n')}`);
}
