// What may import what: the package table of docs/ARCHITECTURE.md and the layers inside packages/server,
// as data plus one pure rule function; it reads no files (scripts/check-imports.mjs walks the tree).
import ts from 'typescript';

/**
 * Which @kumo packages each package may import (dependencies point down only). A package not listed
 * here is refused everything until it is added, so a new package has to take its place in the table.
 * @type {Readonly<Record<string, readonly string[]>>}
 */
export const PACKAGE_DEPS = {
  contract: [],
  libvirt: [],
  ovsdb: [],
  scheduler: [],
  store: ['contract'],
  hypervisor: ['libvirt'],
  network: ['ovsdb'],
  storage: ['libvirt'],
  client: ['contract'],
  cli: ['client', 'contract'],
  server: ['contract', 'libvirt', 'ovsdb', 'scheduler', 'store', 'hypervisor', 'network', 'storage'],
};

/**
 * Layers inside packages/server/src, by first path segment (a folder, or a top-level file without
 * `.ts`), and the layers each may import besides itself. The request path runs
 * http → services (auth beside them) → jobs | reconcile → compute | drivers (the store and
 * hypervisor adapters); nothing imports back up. `ROOT` modules build and start everything.
 * Top-level files not named here (config, config-error, catalogue, logger, embedded-postgres, …)
 * are `LEAF`: importable from every layer, and importing only other leaves.
 * @type {Readonly<Record<string, readonly string[]>>}
 */
export const SERVER_LAYERS = {
  http: ['services', 'auth'],
  auth: [],
  services: ['auth', 'jobs', 'compute', 'drivers'],
  // The reconciler hands repairs to the job runner; jobs never drive the reconciler.
  jobs: ['compute', 'drivers'],
  reconcile: ['jobs', 'compute', 'drivers'],
  compute: ['drivers'],
  drivers: [],
  // In-memory fakes for unit tests: they may build on any layer below the composition root.
  testing: ['http', 'auth', 'services', 'jobs', 'reconcile', 'compute', 'drivers'],
};

/** The composition root and entry points: they may import every layer (and nothing imports them). */
export const SERVER_ROOT = [
  'wiring',
  'network-runtime',
  'workers',
  'network-wiring',
  'image-wiring',
  'main',
  'run',
  'test-main',
  'daemon',
  'index',
];

/**
 * @kumo packages a server layer must not use at all, or only for types (`import type`): the HTTP
 * layer sees store records but never queries, and never reaches an engine except through services.
 * @type {Readonly<Record<string, { never?: readonly string[], typesOnly?: readonly string[] }>>}
 */
export const SERVER_PACKAGE_LIMITS = {
  http: {
    never: ['hypervisor', 'libvirt', 'scheduler', 'ovsdb', 'network', 'storage'],
    typesOnly: ['store'],
  },
  auth: { never: ['hypervisor', 'libvirt', 'scheduler', 'ovsdb', 'network', 'storage'] },
};

/**
 * Imports allowed to break the rules, each `file -> target` (repository-relative, the target as
 * resolved). Empty: the checker fails on any violation, and on any entry here that no longer occurs.
 * @type {readonly string[]}
 */
export const KNOWN_VIOLATIONS = [];

/**
 * One import statement of a file.
 * @typedef {{ specifier: string, typeOnly: boolean, line: number }} ImportRef
 */

/**
 * Every module specifier a TypeScript/JavaScript source imports or re-exports, including dynamic
 * `import('…')` with a literal argument, with whether the import vanishes at runtime (type-only).
 * @param {string} fileName used for the parser's script kind and in nothing else
 * @param {string} text
 * @returns {ImportRef[]}
 */
export function importsOf(fileName, text) {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  /** @type {ImportRef[]} */
  const out = [];
  /** @param {ts.Node} node @param {ts.Expression} spec @param {boolean} typeOnly */
  const add = (node, spec, typeOnly) => {
    if (!ts.isStringLiteralLike(spec)) return;
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    out.push({ specifier: spec.text, typeOnly, line: line + 1 });
  };
  /** @param {ts.Node} node */
  const visit = (node) => {
    if (ts.isImportDeclaration(node)) {
      const c = node.importClause;
      // `import { type A, type B } from` is erased too; `import {} from` and bare imports are not.
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : [];
      const allTypes = !!c && !c.name && named.length > 0 && named.every((e) => e.isTypeOnly);
      add(node, node.moduleSpecifier, !!c && (c.isTypeOnly || allTypes));
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier) {
      add(node, node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0]
    ) {
      add(node, node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node, node.argument.literal, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/**
 * Where a repository-relative path sits: its package, whether it is test code, and (inside
 * packages/server/src) its layer.
 * @param {string} path repository-relative, `/`-separated
 * @returns {{ pkg: string | undefined, test: boolean, layer: string | undefined }}
 */
export function locate(path) {
  const m = /^packages\/([^/]+)\/(.*)$/.exec(path);
  const test = /\.test\.[cm]?[jt]s$/.test(path) || (!!m && /^test\//.test(m[2] ?? ''));
  if (!m) return { pkg: undefined, test, layer: undefined };
  const src = /^src\/(.*)$/.exec(m[2] ?? '');
  if (m[1] !== 'server' || !src) return { pkg: m[1], test, layer: undefined };
  const rest = src[1] ?? '';
  const first = rest.includes('/') ? rest.slice(0, rest.indexOf('/')) : rest.replace(/\.[cm]?[jt]s$/, '');
  let layer = 'LEAF';
  if (SERVER_ROOT.includes(first)) layer = 'ROOT';
  else if (first in SERVER_LAYERS) layer = first;
  return { pkg: m[1], test, layer };
}

/**
 * Resolves a relative specifier against the importing file, the way the build sees it: a `.js`
 * suffix names the `.ts` source. Returns a repository-relative path; bare specifiers are returned
 * unchanged.
 * @param {string} from repository-relative path of the importing file
 * @param {string} specifier
 * @returns {string}
 */
export function resolveSpecifier(from, specifier) {
  if (!specifier.startsWith('.')) return specifier;
  const parts = from.split('/').slice(0, -1);
  for (const seg of specifier.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts
    .join('/')
    .replace(/\.js$/, '.ts')
    .replace(/\.mjs$/, '.mts');
}

/**
 * Why one import breaks the rules, or undefined if it is allowed. Paths are repository-relative.
 * @param {string} from the importing file
 * @param {ImportRef} ref
 * @returns {string | undefined}
 */
export function violation(from, ref) {
  const here = locate(from);
  if (!here.pkg) return undefined; // top-level test/ and bench/ drive the whole system
  const kumo = /^@kumo\/([^/]+)/.exec(ref.specifier);
  if (kumo) return packageViolation(here, kumo[1] ?? '', ref);
  if (!ref.specifier.startsWith('.')) return undefined; // node: builtins and npm packages
  const target = resolveSpecifier(from, ref.specifier);
  const there = locate(target);
  if (there.pkg !== here.pkg) {
    // Tests may use the repository's shared test support; code reaches other packages only by name.
    if (here.test && (target.startsWith('test/') || there.test)) {
      return there.pkg ? packageViolation(here, there.pkg, ref) : undefined;
    }
    return `reaches into ${there.pkg ? `package ${there.pkg}` : target} by path; import it by name`;
  }
  if (here.pkg === 'server' && here.layer && there.layer) return layerViolation(here, there.layer, from);
  return undefined;
}

/**
 * @param {{ pkg: string | undefined, test: boolean, layer: string | undefined }} here
 * @param {string} pkg
 * @param {ImportRef} ref
 * @returns {string | undefined}
 */
function packageViolation(here, pkg, ref) {
  if (pkg === here.pkg) return undefined;
  const allowed = here.pkg ? PACKAGE_DEPS[here.pkg] : undefined;
  if (!allowed) return `package ${here.pkg} is not in the package table (scripts/import-rules.mjs)`;
  if (!allowed.includes(pkg))
    return `${here.pkg} may not import @kumo/${pkg} (allowed: ${allowed.join(', ') || 'none'})`;
  const limits = here.layer ? SERVER_PACKAGE_LIMITS[here.layer] : undefined;
  if (!here.test && limits?.never?.includes(pkg)) return `server/${here.layer} may not import @kumo/${pkg}`;
  if (!here.test && limits?.typesOnly?.includes(pkg) && !ref.typeOnly) {
    return `server/${here.layer} may import only types from @kumo/${pkg} (use import type)`;
  }
  return undefined;
}

/**
 * @param {{ test: boolean, layer: string | undefined }} here
 * @param {string} target the imported module's layer
 * @param {string} from
 * @returns {string | undefined}
 */
function layerViolation(here, target, from) {
  const layer = here.layer ?? 'LEAF';
  // test-main.ts is the test build of kumod (it registers the test drivers): the one entry point
  // that may load server/testing.
  const testEntry = from.endsWith('packages/server/src/test-main.ts');
  if (target === 'testing' && !here.test && layer !== 'testing' && !testEntry)
    return `server/testing is for tests only (${from} is not a test)`;
  if (here.test || layer === 'ROOT' || layer === target) return undefined;
  if (target === 'ROOT') return `server/${layer} may not import the composition root or entry points`;
  if (target === 'LEAF')
    return layer === 'LEAF' || layer in SERVER_LAYERS ? undefined : `unknown layer ${layer}`;
  if (layer === 'LEAF')
    return `server top-level module may import only other top-level modules, not ${target}/`;
  const allowed = SERVER_LAYERS[layer] ?? [];
  if (allowed.includes(target)) return undefined;
  return `server/${layer} may not import ${target}/ (allowed: ${allowed.join(', ') || 'top-level modules only'})`;
}
