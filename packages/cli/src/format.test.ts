// Unit tests for the CLI's pure formatting helpers.
import { cellText, displayWidth, renderCsv, renderFields, renderJson, renderTable } from './format.js';

describe('cellText', () => {
  it('renders empties as -, arrays comma-joined, objects as JSON, newlines flattened', () => {
    expect(cellText(undefined)).toBe('-');
    expect(cellText(null)).toBe('-');
    expect(cellText('')).toBe('-');
    expect(cellText([])).toBe('-');
    expect(cellText(['a', 1, true])).toBe('a,1,true');
    expect(cellText({ a: 1 })).toBe('{"a":1}');
    expect(cellText('x\ny\tz')).toBe('x y z');
    expect(cellText(0)).toBe('0');
  });
});

describe('displayWidth', () => {
  it('counts CJK characters as two columns', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('云主机')).toBe(6);
    expect(displayWidth('a名')).toBe(3);
  });
});

describe('renderTable', () => {
  const cols = [
    { header: 'Name', value: (r: { n: string; c: number }) => r.n },
    { header: 'Count', value: (r: { n: string; c: number }) => r.c, right: true },
    { header: 'Note', value: () => undefined },
  ];
  it('aligns columns, upper-cases headers, right-aligns numbers and trims line ends', () => {
    expect(
      renderTable(cols, [
        { n: 'alpha', c: 5 },
        { n: 'b', c: 100 },
      ]),
    ).toBe('NAME   COUNT  NOTE\nalpha      5  -\nb        100  -\n');
  });
  it('prints only the header for no rows', () => {
    expect(renderTable(cols, [])).toBe('NAME  COUNT  NOTE\n');
  });
  it('keeps alignment with wide characters', () => {
    const t = renderTable(
      [
        { header: 'n', value: (r: string) => r },
        { header: 'x', value: () => 'x' },
      ],
      ['云', 'ab', 'a'],
    );
    expect(t.split('\n').slice(1, 4)).toEqual(['云  x', 'ab  x', 'a   x']);
  });
});

describe('renderFields and renderJson', () => {
  it('aligns keys', () => {
    expect(
      renderFields([
        ['Name', 'k'],
        ['Fingerprint', 'aa:bb'],
      ]),
    ).toBe('Name:        k\nFingerprint: aa:bb\n');
  });
  it('pretty-prints JSON with a newline', () => {
    expect(renderJson({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}\n');
    expect(renderJson(undefined)).toBe('null\n');
  });
});

describe('renderCsv', () => {
  it('quotes fields that need it, neutralises formula starts and ends lines with CRLF', () => {
    const cols = [
      { header: 'Item', value: (r: { i: string; n: number | undefined }) => r.i },
      { header: 'N', value: (r: { i: string; n: number | undefined }) => r.n },
    ];
    expect(
      renderCsv(cols, [
        { i: 'disk:ssd', n: 20 },
        { i: 'a,"b"', n: undefined },
        { i: '=cmd', n: 0 },
      ]),
    ).toBe('Item,N\r\ndisk:ssd,20\r\n"a,""b""",\r\n"=cmd",0\r\n');
  });
});
