// Small helpers for the vpc-service API tests: raw JD calls with @kumo/client (the paths as JD's
// SDK sends them, trailing '/' on collections), and the JD error of a failed call.
import { KumoApiError, type KumoClient } from '@kumo/client';

/** A JD result, untyped: the tests assert on field names as JD spells them. */
export type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const R = '/v1/regions/local-1';

export const get = (c: KumoClient, path: string, query?: object) =>
  c.request<Any>('GET', `${R}${path}`, { query });
export const post = (c: KumoClient, path: string, body: object) =>
  c.request<Any>('POST', `${R}${path}`, { body });
export const patch = (c: KumoClient, path: string, body: object) =>
  c.request<Any>('PATCH', `${R}${path}`, { body });
export const del = (c: KumoClient, path: string) => c.request<Any>('DELETE', `${R}${path}`);

/** One JD filter as the query. */
export const filter = (name: string, ...values: string[]) => ({ filters: [{ name, values }] });

/** The JD error a call failed with (fails the test when it succeeded). */
export async function apiError(
  p: Promise<unknown>,
): Promise<{ httpStatus: number; status: string; message: string }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(KumoApiError);
  const e = err as KumoApiError;
  expect(e.requestId).toMatch(/^[a-z0-9]{32}$/);
  return { httpStatus: e.httpStatus, status: e.status, message: e.message };
}

/** createVpc, returning the id. */
export async function createVpc(c: KumoClient, name: string, addressPrefix?: string): Promise<string> {
  return (await post(c, '/vpcs/', { vpcName: name, ...(addressPrefix ? { addressPrefix } : {}) })).vpcId;
}
