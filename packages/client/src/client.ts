// KumoClient: one typed method per JD vm operation Kumo serves, plus generic and admin request helpers.
// Methods only build paths, queries and bodies; signing and envelopes live in the transport.
import type {
  CopyImagesRequest,
  CopyImagesResult,
  ImageTasksResult,
  ExportImageRequest,
  ExportImageResult,
  ImportImageResult,
  ImportUserImageRequest,
  CreateImageRequest,
  CreateImageResult,
  DescribeImageMembersResult,
  CreateInstancesRequest,
  CreateInstancesResult,
  CreateKeypairResult,
  DescribeImageConstraintsBatchResult,
  DescribeImageConstraintsResult,
  DescribeImageResult,
  DescribeImagesRequest,
  DescribeImagesResult,
  DescribeInstancePrivateIpAddressResult,
  DescribeInstanceResult,
  DescribeInstancesRequest,
  DescribeInstanceStatusResult,
  DescribeInstancesResult,
  DescribeInstanceTypesRequest,
  DescribeInstanceTypesResult,
  DescribeKeypairsRequest,
  DescribeKeypairsResult,
  DescribeQuotasRequest,
  DescribeQuotasResult,
  ImportKeypairResult,
  ModifyImageAttributeRequest,
  ModifyInstanceAttributeRequest,
  RebuildInstanceRequest,
} from '@kumo/contract';
import {
  Transport,
  pathSegment as seg,
  type HttpMethod,
  type RequestOptions,
  type TransportOptions,
} from './transport.js';

/** Options of a KumoClient: endpoint, credentials, region and transport knobs. */
export type KumoClientOptions = TransportOptions;

/** A typed client of Kumo's JD Cloud vm API v1. */
export class KumoClient {
  /** The region every `/v1/regions/{regionId}` path uses. */
  readonly regionId: string;
  private readonly transport: Transport;

  constructor(options: KumoClientOptions) {
    this.regionId = options.regionId;
    this.transport = new Transport(options);
  }

  /** Sends any request; `path` is absolute (e.g. `/v1/regions/local-1/keypairs`). Returns `result`. */
  request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    return this.transport.send<T>(method, path, options);
  }

  /** Sends a request to an admin-only endpoint; `path` is relative to `/admin/v1` (e.g. `/hosts`). */
  adminRequest<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    return this.transport.send<T>(method, `/admin/v1${path.startsWith('/') ? path : '/' + path}`, options);
  }

  private region(rest: string): string {
    return `/v1/regions/${seg(this.regionId)}${rest}`;
  }

  private action(kind: 'instances' | 'images', id: string, verb: string, body?: unknown): Promise<void> {
    return this.request<void>('POST', this.region(`/${kind}/${seg(id)}:${verb}`), { body });
  }

  // ---- Keypairs ----

  /** createKeypair: the private key is returned only this once. */
  createKeypair(keyName: string): Promise<CreateKeypairResult> {
    return this.request('POST', this.region('/keypairs'), { body: { keyName } });
  }
  /** importKeypair: registers an OpenSSH public key. */
  importKeypair(keyName: string, publicKey: string): Promise<ImportKeypairResult> {
    return this.request('POST', this.region('/keypairs:import'), { body: { keyName, publicKey } });
  }
  /** describeKeypairs (filter `keyNames`). */
  describeKeypairs(query: DescribeKeypairsRequest = {}): Promise<DescribeKeypairsResult> {
    return this.request('GET', this.region('/keypairs'), { query });
  }
  /** deleteKeypair. */
  deleteKeypair(keyName: string): Promise<void> {
    return this.request('DELETE', this.region(`/keypairs/${seg(keyName)}`));
  }

  // ---- Catalogue ----

  /** describeInstanceTypes (filters `instanceTypes`, `az`). */
  describeInstanceTypes(query: DescribeInstanceTypesRequest = {}): Promise<DescribeInstanceTypesResult> {
    return this.request('GET', this.region('/instanceTypes'), { query });
  }
  /** describeQuotas (filter `resourceTypes`). */
  describeQuotas(query: DescribeQuotasRequest = {}): Promise<DescribeQuotasResult> {
    return this.request('GET', this.region('/quotas'), { query });
  }

  // ---- Instances ----

  /** createInstances: answers at once with ids; instances start `pending`. */
  createInstances(body: CreateInstancesRequest): Promise<CreateInstancesResult> {
    return this.request('POST', this.region('/instances'), { body });
  }
  /** describeInstance. */
  describeInstance(instanceId: string): Promise<DescribeInstanceResult> {
    return this.request('GET', this.region(`/instances/${seg(instanceId)}`));
  }
  /** describeInstances (paged, filtered). */
  describeInstances(query: DescribeInstancesRequest = {}): Promise<DescribeInstancesResult> {
    return this.request('GET', this.region('/instances'), { query });
  }
  /** describeInstanceStatus (paged, filtered). */
  describeInstanceStatus(query: DescribeInstancesRequest = {}): Promise<DescribeInstanceStatusResult> {
    return this.request('GET', this.region('/instanceStatus'), { query });
  }
  /** describeInstancePrivateIpAddress (paged, filtered). */
  describeInstancePrivateIpAddress(
    query: DescribeInstancesRequest = {},
  ): Promise<DescribeInstancePrivateIpAddressResult> {
    return this.request('GET', this.region('/instancePrivateIpAddress'), { query });
  }
  /** startInstance (from `stopped`). */
  startInstance(instanceId: string): Promise<void> {
    return this.action('instances', instanceId, 'startInstance');
  }
  /** stopInstance (from `running`). */
  stopInstance(instanceId: string): Promise<void> {
    return this.action('instances', instanceId, 'stopInstance');
  }
  /** rebootInstance (from `running`). */
  rebootInstance(instanceId: string): Promise<void> {
    return this.action('instances', instanceId, 'rebootInstance');
  }
  /** deleteInstance. */
  deleteInstance(instanceId: string): Promise<void> {
    return this.request('DELETE', this.region(`/instances/${seg(instanceId)}`));
  }
  /** resizeInstance (from `stopped`). */
  resizeInstance(instanceId: string, instanceType: string): Promise<void> {
    return this.action('instances', instanceId, 'resizeInstance', { instanceType });
  }
  /** rebuildInstance (from `stopped`). */
  rebuildInstance(instanceId: string, body: RebuildInstanceRequest): Promise<void> {
    return this.action('instances', instanceId, 'rebuildInstance', body);
  }
  /** modifyInstanceAttribute (name, description). */
  modifyInstanceAttribute(instanceId: string, body: ModifyInstanceAttributeRequest): Promise<void> {
    return this.action('instances', instanceId, 'modifyInstanceAttribute', body);
  }
  /** modifyInstancePassword (effective after the next reboot). */
  modifyInstancePassword(instanceId: string, password: string): Promise<void> {
    return this.action('instances', instanceId, 'modifyInstancePassword', { password });
  }

  // ---- Images ----

  /** describeImage. */
  describeImage(imageId: string): Promise<DescribeImageResult> {
    return this.request('GET', this.region(`/images/${seg(imageId)}`));
  }
  /** describeImages (paged). */
  describeImages(query: DescribeImagesRequest = {}): Promise<DescribeImagesResult> {
    return this.request('GET', this.region('/images'), { query });
  }
  /** describeImageConstraints for one image. */
  describeImageConstraints(imageId: string): Promise<DescribeImageConstraintsResult> {
    return this.request('GET', this.region(`/images/${seg(imageId)}/constraints`));
  }
  /** describeImageConstraintsBatch. */
  describeImageConstraintsBatch(ids?: string[]): Promise<DescribeImageConstraintsBatchResult> {
    return this.request('GET', this.region('/imageConstraints'), { query: { ids } });
  }
  /** modifyImageAttribute (name, description). */
  modifyImageAttribute(imageId: string, body: ModifyImageAttributeRequest): Promise<void> {
    return this.action('images', imageId, 'modifyImageAttribute', body);
  }
  /** deleteImage. */
  deleteImage(imageId: string): Promise<void> {
    return this.request('DELETE', this.region(`/images/${seg(imageId)}`));
  }
  /** createImage: a private image of a stopped instance (`pending` until its data is stored). */
  createImage(instanceId: string, body: CreateImageRequest): Promise<CreateImageResult> {
    return this.request('POST', this.region(`/instances/${seg(instanceId)}:createImage`), { body });
  }
  /** shareImage with accounts by pin (Kumo's pin is the account name). */
  shareImage(imageId: string, pins: string[]): Promise<void> {
    return this.request('POST', this.region(`/images/${seg(imageId)}:share`), { body: { pins } });
  }
  /** unShareImage from accounts by pin. */
  unShareImage(imageId: string, pins: string[]): Promise<void> {
    return this.request('POST', this.region(`/images/${seg(imageId)}:unshare`), { body: { pins } });
  }
  /** describeImageMembers: the pins an image is shared with. */
  describeImageMembers(imageId: string): Promise<DescribeImageMembersResult> {
    return this.request('GET', this.region(`/images/${seg(imageId)}/members`));
  }
  /** copyImages to another region. */
  copyImages(body: CopyImagesRequest): Promise<CopyImagesResult> {
    return this.request('POST', this.region('/images:copyImages'), { body });
  }
  /** exportImage: a private image's disk into the image exchange bucket; returns the task's id. */
  exportImage(imageId: string, body: ExportImageRequest): Promise<ExportImageResult> {
    return this.request('POST', this.region(`/images/${seg(imageId)}:exportImage`), { body });
  }
  /** importImage: a private image from a qcow2 at an http(s) or s3:// URL; returns the image's and its task's ids. */
  importImage(body: ImportUserImageRequest): Promise<ImportImageResult> {
    return this.request('POST', this.region('/images:import'), { body });
  }
  /** imageTasks: the caller's image import and export tasks (taskIds as one comma-separated string). */
  imageTasks(
    query: {
      taskIds?: string;
      taskAction?: string;
      taskStatus?: string;
      pageNumber?: number;
      pageSize?: number;
    } = {},
  ): Promise<ImageTasksResult> {
    return this.request('GET', this.region('/imageTasks'), { query });
  }
}
