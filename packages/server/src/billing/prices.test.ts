// The price list: items by the ledger's names, unlisted items unpriced, bad files refused by name.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { loadPrices, priceList } from './prices.js';

describe('price list', () => {
  test('names every item the way the ledger does', () => {
    const p = priceList({
      currency: 'EUR',
      instances: { 't.n1.micro': { running: 0.04, stopped: 0.004 } },
      disks: { ssd: 0.001 },
      snapshot: 0.0002,
      eipBandwidth: 0.03,
    });
    expect(p.currency).toBe('EUR');
    expect(p.perHour('instance:t.n1.micro:running')).toBe(0.04);
    expect(p.perHour('instance:t.n1.micro:stopped')).toBe(0.004);
    expect(p.perHour('disk:ssd')).toBe(0.001);
    expect(p.perHour('snapshot')).toBe(0.0002);
    expect(p.perHour('eip:bandwidth')).toBe(0.03);
    // Not listed: the image price defaults to 0, an unknown type has no price at all.
    expect(p.perHour('image')).toBe(0);
    expect(p.perHour('instance:g.n2.large:running')).toBeUndefined();
  });

  test('the shipped list prices every type of the shipped catalogue', () => {
    const p = loadPrices(fileURLToPath(new URL('../../catalogue/prices.yaml', import.meta.url)));
    for (const t of ['t.n1.nano', 'g.n2.2xlarge', 'c.n2.large', 'm.n2.xlarge', 'v.n1.xlarge'])
      expect(p.perHour(`instance:${t}:running`)).toBeGreaterThan(0);
  });

  test('a bad file stops kumod with a message naming KUMO_PRICES', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kbill-prices-'));
    const bad = join(dir, 'prices.yaml');
    writeFileSync(bad, 'currency: CNY\ninstances:\n  t.n1.micro: { running: -1, stopped: 0 }\n');
    expect(() => loadPrices(bad)).toThrow(/^KUMO_PRICES: cannot use .*prices\.yaml/);
    writeFileSync(bad, 'currency: CNY\nsnapshots: 1\n');
    expect(() => loadPrices(bad)).toThrow(/KUMO_PRICES/);
  });
});
