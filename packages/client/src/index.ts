// Public surface of @kumo/client: the typed SDK, its errors and the credentials loader.
export * from './client.js';
export * from './credentials.js';
export * from './errors.js';
export {
  Transport,
  pathSegment,
  type HttpMethod,
  type RequestOptions,
  type TransportOptions,
} from './transport.js';
