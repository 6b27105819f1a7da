// The operator's price list: per-hour prices of the usage ledger's items, loaded once at startup.
// It prices ledger lines; it never decides what is metered (the ledger's triggers do).
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../config-error.js';

const price = z.number().min(0).max(1_000_000);
const priceSchema = z
  .object({
    currency: z.string().regex(/^[A-Z]{3}$/),
    instances: z
      .record(z.string().max(64), z.object({ running: price, stopped: price }).strict())
      .default({}),
    disks: z.record(z.string().max(32), price).default({}),
    snapshot: price.default(0),
    image: price.default(0),
    eipBandwidth: price.default(0),
  })
  .strict();

/** Prices per unit-hour of each ledger item, in one currency. */
export interface PriceList {
  currency: string;
  /** The price of one unit of `item` for one hour, or undefined when the list has none. */
  perHour(item: string): number | undefined;
}

/** Builds a price list from its parsed YAML (throws on a bad shape). */
export function priceList(raw: unknown): PriceList {
  const p = priceSchema.parse(raw);
  const byItem = new Map<string, number>();
  for (const [type, rates] of Object.entries(p.instances)) {
    byItem.set(`instance:${type}:running`, rates.running);
    byItem.set(`instance:${type}:stopped`, rates.stopped);
  }
  for (const [type, perGb] of Object.entries(p.disks)) byItem.set(`disk:${type}`, perGb);
  byItem.set('snapshot', p.snapshot);
  byItem.set('image', p.image);
  byItem.set('eip:bandwidth', p.eipBandwidth);
  return { currency: p.currency, perHour: (item) => byItem.get(item) };
}

/** Loads and validates a price file; a bad file stops the daemon with a ConfigError. */
export function loadPrices(file: string): PriceList {
  try {
    return priceList(parseYaml(readFileSync(file, 'utf8')));
  } catch (err) {
    throw new ConfigError(`KUMO_PRICES: cannot use ${file}: ${(err as Error).message.slice(0, 500)}`);
  }
}
