// The sample Grafana dashboard (deploy/grafana) reads only series kumod exports: every metric a
// panel's query names is one this process's registry has, so a renamed metric breaks this test
// rather than a panel on an operator's screen.
import { readFileSync } from 'node:fs';
import { expect, test } from '@jest/globals';
import { Metrics } from './metrics.js';

const dashboard = JSON.parse(
  readFileSync(new URL('../../../deploy/grafana/kumo-control-plane.json', import.meta.url), 'utf8'),
) as { uid: string; panels: { title: string; targets: { expr: string }[] }[] };

// Histograms export _bucket, _sum and _count series of their base name.
const exported = async (): Promise<Set<string>> => {
  const m = new Metrics({ instancesByStatus: async () => [], hostsByHealth: async () => [] });
  const names = (await m.registry.getMetricsAsJSON()).flatMap((x) =>
    String(x.type) === 'histogram' ? [`${x.name}_bucket`, `${x.name}_sum`, `${x.name}_count`] : [x.name],
  );
  return new Set(names);
};

test('every panel queries series kumod exports', async () => {
  const names = await exported();
  expect(dashboard.uid).toBe('kumo-control-plane');
  expect(dashboard.panels.length).toBeGreaterThanOrEqual(8);
  for (const p of dashboard.panels) {
    expect(p.targets.length).toBeGreaterThan(0);
    for (const t of p.targets) {
      const used = t.expr.match(/\bkumo_[a-z_0-9]+/g) ?? [];
      expect([p.title, used.length > 0]).toEqual([p.title, true]);
      for (const n of used) expect([p.title, n, names.has(n)]).toEqual([p.title, n, true]);
    }
  }
});
