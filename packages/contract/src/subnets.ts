// Wire shape of describeSubnets (JD vpc API): the default subnets until the network plane lands.
// No behaviour.

/** A subnet as describeSubnets lists it. */
export interface Subnet {
  subnetId: string;
  subnetName: string;
  vpcId: string;
  addressPrefix: string;
  az: string;
  description: string;
}

/** describeSubnets result. */
export interface DescribeSubnetsResult {
  subnets: Subnet[];
  totalCount: number;
}
