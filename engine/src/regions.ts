/**
 * AWS Regions, for condition values that name one (aws:RequestedRegion). The list is the
 * partitions data AWS ships with its SDKs (the endpoint rules' partitions: `regions` and
 * `regionRegex` of each partition, as in @aws-sdk/core 3.981's util-endpoints), without the
 * `aws-global`-style pseudo-regions. A test compares it with the SDK's copy, so an update of
 * the SDK that brings a new Region fails until the Region is added here.
 */

/** Each partition's Regions. */
export const REGIONS_BY_PARTITION: Readonly<Record<string, readonly string[]>> = {
  aws: [
    'af-south-1',
    'ap-east-1',
    'ap-east-2',
    'ap-northeast-1',
    'ap-northeast-2',
    'ap-northeast-3',
    'ap-south-1',
    'ap-south-2',
    'ap-southeast-1',
    'ap-southeast-2',
    'ap-southeast-3',
    'ap-southeast-4',
    'ap-southeast-5',
    'ap-southeast-6',
    'ap-southeast-7',
    'ca-central-1',
    'ca-west-1',
    'eu-central-1',
    'eu-central-2',
    'eu-north-1',
    'eu-south-1',
    'eu-south-2',
    'eu-west-1',
    'eu-west-2',
    'eu-west-3',
    'il-central-1',
    'me-central-1',
    'me-south-1',
    'me-west-1',
    'mx-central-1',
    'sa-east-1',
    'sa-west-1',
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
  ],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-eusc': ['eusc-de-east-1'],
  'aws-iso': ['us-iso-east-1', 'us-iso-west-1'],
  'aws-iso-b': ['us-isob-east-1', 'us-isob-west-1'],
  'aws-iso-e': ['eu-isoe-west-1'],
  'aws-iso-f': ['us-isof-east-1', 'us-isof-south-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
};

const ALL = new Set(Object.values(REGIONS_BY_PARTITION).flat());

/** Every Region code, sorted. */
export const REGIONS: readonly string[] = [...ALL].sort();

/** Whether the code names a Region AWS has (exact, as IAM compares Region names). */
export function isRegion(code: string): boolean {
  return ALL.has(code);
}
