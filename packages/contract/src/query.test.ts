// Unit tests for JD query flattening: SDK-shaped output, bounded decoding and a property-based round trip.
import fc from 'fast-check';
import { QueryEncodingError, decodeQuery, decodeQueryString, encodeQuery } from './query.js';

describe('encodeQuery', () => {
  it('flattens paging, filters, ids and tags 1-based, sorted by key', () => {
    const q = encodeQuery({
      pageNumber: 1,
      pageSize: 20,
      filters: [{ name: 'instanceId', operator: 'eq', values: ['i-x', 'i-y'] }],
      ids: ['img-a', 'img-b'],
      tags: [{ key: 'k', values: ['v'] }],
      unset: undefined,
      nothing: null,
    });
    expect(q).toBe(
      'filters.1.name=instanceId&filters.1.operator=eq&filters.1.values.1=i-x&filters.1.values.2=i-y' +
        '&ids.1=img-a&ids.2=img-b&pageNumber=1&pageSize=20&tags.1.key=k&tags.1.values.1=v',
    );
  });
  it('percent-encodes per RFC 3986 (space as %20, colon, unicode, sub-delimiters)', () => {
    expect(encodeQuery({ name: "a b:c/名!'()*" })).toBe('name=a%20b%3Ac%2F%E5%90%8D%21%27%28%29%2A');
  });
  it('returns an empty string for no parameters and rejects nested arrays and functions', () => {
    expect(encodeQuery({})).toBe('');
    expect(() => encodeQuery({ a: [['x']] })).toThrow(QueryEncodingError);
    expect(() => encodeQuery({ a: () => 1 })).toThrow(QueryEncodingError);
  });
});

describe('decodeQuery', () => {
  it('rebuilds nested arrays ordered by index whatever the key order', () => {
    expect(
      decodeQuery({
        'filters.2.values.2': 'd',
        'filters.2.name': 'status',
        'filters.1.values.1': 'a',
        'filters.2.values.1': 'c',
        'filters.1.name': 'instanceId',
        'ids.10': 'z',
        'ids.9': 'y',
        pageSize: '10',
      }),
    ).toEqual({
      filters: [
        { values: ['a'], name: 'instanceId' },
        { values: ['c', 'd'], name: 'status' },
      ],
      ids: ['y', 'z'],
      pageSize: '10',
    });
  });
  it('closes gaps and keeps repeated keys as arrays', () => {
    expect(decodeQuery({ 'ids.3': 'b', 'ids.1': 'a', x: ['1', '2'], y: ['only'] })).toEqual({
      ids: ['a', 'b'],
      x: ['1', '2'],
      y: 'only',
    });
  });
  it.each([
    [{ 'ids.1001': 'x' }],
    [{ 'ids.0': 'x' }],
    [{ 'ids.01': 'x' }],
    [{ 'ids.99999999999999999999': 'x' }],
    [{ 'a.b.c.d.e.f.g': 'x' }],
    [{ 'a..b': 'x' }],
    [{ 'a.': 'x' }],
    [{ '1': 'x' }],
    [{ '__proto__.x': 'x' }],
    [{ 'a.constructor': 'x' }],
    [{ a: 'x', 'a.1': 'y' }],
    [{ 'a.1': 'y', a: 'x' }],
    [{ 'a.1': 'x', 'a.b': 'y' }],
    [{ 'bad name': 'x' }],
  ])('rejects %j', (flat) => {
    expect(() => decodeQuery(flat as Record<string, string>)).toThrow(QueryEncodingError);
  });
  it('rejects too many parameters', () => {
    const flat: Record<string, string> = {};
    for (let i = 0; i < 2001; i++) flat[`p${i}`] = 'x';
    expect(() => decodeQuery(flat)).toThrow(QueryEncodingError);
  });
});

describe('decodeQueryString', () => {
  it('decodes what the Go SDK sends (+ as space) and what Python sends (%20)', () => {
    expect(decodeQueryString('filters.1.name=name&filters.1.values.1=my+vm')).toEqual({
      filters: [{ name: 'name', values: ['my vm'] }],
    });
    expect(decodeQueryString('ids.1=a%20b&ids.2=%E5%90%8D')).toEqual({ ids: ['a b', '名'] });
  });
  it('reports the offending key', () => {
    try {
      decodeQueryString('ids.5000=x');
      throw new Error('expected a throw');
    } catch (e) {
      expect(e).toBeInstanceOf(QueryEncodingError);
      expect((e as QueryEncodingError).key).toBe('ids.5000');
    }
  });
});

describe('round trip', () => {
  const str = fc.string({ unit: 'grapheme', maxLength: 12 });
  const filter = fc.record(
    {
      name: fc.constantFrom('instanceId', 'status', 'name', 'az'),
      operator: fc.constant('eq'),
      values: fc.array(str, { minLength: 1, maxLength: 4 }),
    },
    { requiredKeys: ['name', 'values'] },
  );
  const params = fc.record(
    {
      pageNumber: fc.integer({ min: 1, max: 1000 }),
      pageSize: fc.integer({ min: 10, max: 100 }),
      filters: fc.array(filter, { minLength: 1, maxLength: 12 }),
      ids: fc.array(str, { minLength: 1, maxLength: 15 }),
      tags: fc.array(fc.record({ key: str, values: fc.array(str, { minLength: 1, maxLength: 3 }) }), {
        minLength: 1,
        maxLength: 3,
      }),
      imageSource: str,
    },
    { requiredKeys: [] },
  );
  const stringify = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(stringify)
      : typeof v === 'object' && v !== null
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, stringify(x)]))
        : String(v);

  it('decodeQueryString(encodeQuery(p)) gives p back with scalars as strings', () => {
    fc.assert(
      fc.property(params, (p) => {
        expect(decodeQueryString(encodeQuery(p))).toEqual(stringify(p));
      }),
      { numRuns: 300 },
    );
  });
});
