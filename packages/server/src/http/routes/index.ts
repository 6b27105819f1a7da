// Every route of the API, one file per operation.
import type { Route } from '../route.js';
import createAccount from './admin/createAccount.js';
import describeAccounts from './admin/describeAccounts.js';
import describeInstanceTypes from './catalogue/describeInstanceTypes.js';
import describeQuotas from './catalogue/describeQuotas.js';
import createKeypair from './keypairs/createKeypair.js';
import deleteKeypair from './keypairs/deleteKeypair.js';
import describeKeypairs from './keypairs/describeKeypairs.js';
import importKeypair from './keypairs/importKeypair.js';

/** The route table. */
export const routes: readonly Route[] = [
  createKeypair,
  importKeypair,
  describeKeypairs,
  deleteKeypair,
  describeInstanceTypes,
  describeQuotas,
  createAccount,
  describeAccounts,
] as Route[];
