// JDCLOUD3-HMAC-SHA256 against the vectors published in jdcloud-sdk-python's signer tests (reproduced with its signer).
import {
  computeSignature,
  parseAuthorization,
  signRequest,
  sha256Hex,
  EMPTY_BODY_SHA256,
} from './signing.js';

// [case, path, raw query, x-jdcloud-nonce, expected signature]; every case is a GET with an empty body,
// host apigw-internal-dev.cn-north-1.jcloudcs.com:8000, date 20190917T064708Z, ak/sk "ak"/"sk".
const VECTORS: [string, string, string, string | string[], string][] = [
  [
    'path_specialCharacters',
    '/v1/regions/cn-north-1/instances/ /`!@#$%^&*()=+/0123456789/[]\\;\',<>?:"{}|/abcdefghijklmnopqrstuvwxyz/ABCDEFGHIJKLMNOPQRSTUVWXYZ/-_.~:GET',
    '',
    'X-Jdcloud-Nonce',
    '925b9455228ef23ee7ec2dd3e33f7e645bcbcb3f4732894c17e4a0cf1d41d1e6',
  ],
  [
    'path_chineseCharacters',
    '/v1/regions/cn-north-1/instances/中文:GET',
    '',
    'X-Jdcloud-Nonce',
    '936ed2dcb6fb4271ad640e0f46f1fe61763a0bad8bb4f4eb1224261f969612fa',
  ],
  [
    'path_null',
    '',
    '',
    'X-Jdcloud-Nonce',
    '44c5ec30b6185516986ae171d8276552bc0f37f6a536a44e4f578958fc1c12be',
  ],
  [
    'path_nullSlashes',
    'v1',
    '',
    'X-Jdcloud-Nonce',
    '92cd3ed582c13af58b4c81ddad150c350e656c6cc9e78ec154d7385e499b91b6',
  ],
  [
    'path_endSlashes',
    'v1/',
    '',
    'X-Jdcloud-Nonce',
    '035689ae2ce6a3603928ac3d60a6d2fbfb550d33c5da983342a6356419ccd914',
  ],
  [
    'path_doubleSlashes',
    '///v1/regions/cn-north-1/instances//// //`!@#$%^&*()=+/0123456789/[]\\;\',<>?:"{}|/////abcdefghijklmnopqrstuvwxyz//ABCDEFGHIJKLMNOPQRSTUVWXYZ/-_.~:GET/',
    '',
    'X-Jdcloud-Nonce',
    '92e4897d2a74a899399f5443615ddf110978363b9097932e522e079e6eb5f65b',
  ],
  [
    'path_encode',
    '/v1/regions/cn-north-1/instances/%20/%60%21%40%23%24%25%5E%26%2A%28%29%3D%2B/0123456789/%5B%5D%5C%5C%3B%27%2C%3C%3E%3F%3A%5C%22%7B%7D%7C/abcdefghijklmnopqrstuvwxyz/ABCDEFGHIJKLMNOPQRSTUVWXYZ/-_.~%3AGET',
    '',
    'X-Jdcloud-Nonce',
    '027b5bbd35956b84b8773eb450c0405cb4e424eab13f64828926ee41838c48d0',
  ],
  [
    'path_encodeIncludeEncodedSlashes',
    '%2Fv1%2Fregions%2F%2F%2Fcn-north-1%2Finstances',
    '',
    'X-Jdcloud-Nonce',
    '33df199719f9edc6de860e6b53c61d4824e1f389e6030fd37ddc977fda29e467',
  ],
  [
    'path_partEncode',
    '/v1%2Fregions/cn-north-1%2F%2F%2Finstances',
    '',
    'X-Jdcloud-Nonce',
    '33df199719f9edc6de860e6b53c61d4824e1f389e6030fd37ddc977fda29e467',
  ],
  [
    'path_wrongPercentEncode',
    '/v1/%2/%2f/%2b%f',
    '',
    'X-Jdcloud-Nonce',
    '6610271450ea321baab326f8debc51a2e4dd7e73b04200275a1d9b3897045caf',
  ],
  [
    'path_partEncode_includeSpecialChar',
    '/v1%2Fregions/cn-north-1%2F%2F%2Finstances/ + /+/ +/+ /%2B%20%2B%2F%2F',
    '',
    'X-Jdcloud-Nonce',
    '7286237483a7fcc51ff7621c9a5c586a0ec85fd06cbf91c20adde2ec3b5e4d97',
  ],
  [
    'query_nullKey',
    '/v1/regions/cn-north-1/instances',
    '=a&a=a',
    'X-Jdcloud-Nonce',
    '43efb5fb00e86faf35d8bf0bed3b72e84cfc98ee4754065e29c3caa7bcaa12cb',
  ],
  [
    'query_nullKeyAndValue',
    '/v1/regions/cn-north-1/instances',
    '=&a=a',
    'X-Jdcloud-Nonce',
    '43efb5fb00e86faf35d8bf0bed3b72e84cfc98ee4754065e29c3caa7bcaa12cb',
  ],
  [
    'query_repeatQueryquery',
    '/v1/regions/cn-north-1/instances',
    'aa=aa&aa%3Daa=&aa=aa%3D&aa=&aa=aaa&aaa=aaa&aaa=aa&aaa=a&ab=aa&ab=aa&cc=&cc=&bb=aa&bb=',
    'X-Jdcloud-Nonce',
    '8ccc3c9af11e964b3c5d6020d2af49e97e27fbb23e2b8f57bdc84815e471d54b',
  ],
  [
    'query_specialCharacters0',
    '/v1/regions/cn-north-1/instances',
    'special key=/ /`!@#$%^*()+/0123456789/[]\\;\',<>?:"{}|/abcdefghijklmnopqrstuvwxyz/ABCDEFGHIJKLMNOPQRSTUVWXYZ/-_.~&/ /`!@#$%^*()+/0123456789/[]\\;\',<>?:"{}|/abcdefghijklmnopqrstuvwxyz/ABCDEFGHIJKLMNOPQRSTUVWXYZ/-_.~=special value',
    'X-Jdcloud-Nonce',
    '684a4397896f81eaefbba29c42be66080b32993dce700e1647608a64595fd655',
  ],
  [
    'query_partEncode',
    '/v1/regions/cn-north-1/instances',
    ' =blank&%20=blank&+= 2&%2b= 1&blank= &blank=+&blank=%20',
    'X-Jdcloud-Nonce',
    '78c0a4db84050d773533c78c1a0f73bf974faf5df881e39b18c3e0de8110324e',
  ],
  [
    'query_wrongPercentEncode',
    '/v1/regions/cn-north-1/instances',
    ' =blank&%2=blank&+=jia0&%2b=jia1&%2B=jia2&blank= %2b%2f%2/&blank=+&%2/blank=%0%f',
    'X-Jdcloud-Nonce',
    '972987a6f95be456935cde8be8f106114e2ad27465a507644e61f021a98a7218',
  ],
  [
    'query_chinese',
    '/v1/regions/cn-north-1/instances',
    '中文参数=中文参数值',
    'X-Jdcloud-Nonce',
    '7e3094d23adde49fcc99b7d0de911d7ecaa7767590edd57769d7bdbaca919276',
  ],
  [
    'head_one_blank',
    '/v1/regions/cn-north-1/instances',
    '',
    ' X-Jdcloud- -Nonce ',
    '5d955d1de475eac2b4378473ca0adce8fddd13f45d2be53bc2ffb6eee6450ba4',
  ],
  [
    'head_more_blank',
    '/v1/regions/cn-north-1/instances',
    '',
    '  X-Jdcloud-  -Nonce  ',
    'a03bb8d755cb93e4d8846fe5fcad180f319fa50356f63e8afdc749bd1a95695f',
  ],
  [
    'head_multiValues',
    '/v1/regions/cn-north-1/instances',
    '',
    ['aaa'],
    '12ed9fbf2f8ebe6afcdd23853c9e58f37642f8a0361765557d2e4915f1e995e4',
  ],
  [
    'head_special_characters0',
    '/v1/regions/cn-north-1/instances',
    '',
    '/`!@#$%^&*()=+/0123456789/[]\\;\',<>?:"{}|/abcdefghijklmnopqrstuvwxyz/ABCDEFGHIJKLMNOPQRSTUVWXYZ/-_.~',
    '9046b11889b993a808fccf1322f7f04e7e5a7e0cc22d8b65e9986a8aab986ad7',
  ],
  [
    'head_special_characters1',
    '/v1/regions/cn-north-1/instances',
    '',
    ' \\n  as\\r\\n \\r df\\r\\n   ',
    'b30037126cdc4385e957e24e6d73ea28a8fb66f71ee68b8f60de12d3292d19c6',
  ],
];

describe('JDCLOUD3 published vectors', () => {
  it.each(VECTORS)('%s', (_name, path, query, nonce, expected) => {
    const sig = computeSignature({
      algorithm: 'JDCLOUD3-HMAC-SHA256',
      method: 'GET',
      path,
      query,
      headers: {
        host: 'apigw-internal-dev.cn-north-1.jcloudcs.com:8000',
        'content-type': 'application/json',
        'x-jdcloud-date': '20190917T064708Z',
        'x-jdcloud-nonce': nonce,
      },
      signedHeaders: ['content-type', 'host', 'x-jdcloud-date', 'x-jdcloud-nonce'],
      bodySha256Hex: EMPTY_BODY_SHA256,
      secretKey: 'sk',
      date: '20190917T064708Z',
      regionId: 'cn-north-1',
      service: 'apigatewaytestproductline',
    });
    expect(sig).toBe(expected);
  });
});

describe('JDCLOUD3 end to end', () => {
  it('parses a JDCLOUD3 header and picks the algorithm from the Authorization header when not told', () => {
    const url = new URL(
      'http://127.0.0.1:8080/v1/regions/local-1/keypairs?filters.1.name=keyNames&filters.1.values.1=a+b',
    );
    const h = signRequest({
      method: 'GET',
      url,
      headers: {},
      body: '',
      accessKey: 'AK',
      secretKey: 'SK',
      regionId: 'local-1',
      algorithm: 'JDCLOUD3-HMAC-SHA256',
    });
    const auth = parseAuthorization(h.authorization ?? '');
    expect(auth?.algorithm).toBe('JDCLOUD3-HMAC-SHA256');
    expect(h.authorization).toContain('/local-1/vm/jdcloud3_request, ');
    const verify = (path: string, query: string) =>
      computeSignature({
        method: 'GET',
        path,
        query,
        headers: h,
        signedHeaders: auth?.signedHeaders ?? [],
        bodySha256Hex: sha256Hex(''),
        secretKey: 'SK',
        date: h['x-jdcloud-date'] ?? '',
        regionId: 'local-1',
        service: 'vm',
      }) === auth?.signature;
    expect(verify(url.pathname, url.search.slice(1))).toBe(true);
    // JDCLOUD3 decodes before it encodes, so '+' and %20 for a space verify alike.
    expect(verify(url.pathname, 'filters.1.values.1=a%20b&filters.1.name=keyNames')).toBe(true);
    expect(verify(url.pathname, 'filters.1.values.1=a%20c&filters.1.name=keyNames')).toBe(false);
  });

  it('rejects a scope whose terminator does not match the algorithm', () => {
    expect(
      parseAuthorization(
        `JDCLOUD3-HMAC-SHA256 Credential=ak/20190917/r/vm/jdcloud2_request, SignedHeaders=host, Signature=${'a'.repeat(64)}`,
      ),
    ).toBeNull();
    expect(
      parseAuthorization(
        `JDCLOUD2-HMAC-SHA256 Credential=ak/20190917/r/vm/jdcloud3_request, SignedHeaders=host, Signature=${'a'.repeat(64)}`,
      ),
    ).toBeNull();
  });
});
