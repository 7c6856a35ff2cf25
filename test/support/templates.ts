/**
 * Large CloudFormation templates for the benchmark and the tests, after the CloudFormation
 * documentation's examples: roles with a trust policy and an inline policy whose ARNs are
 * built with `!Sub`, and bucket policies, in turn.
 */
/** A YAML template of `count` resources: roles with a trust policy and an inline policy, and bucket policies. */
export function largeYamlTemplate(count: number): string {
  let text = "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  BucketName:\n    Type: String\nResources:\n";
  for (let i = 0; i < count; i++) {
    text +=
      i % 2 === 0
        ? `  Role${i}:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !Sub app-\${AWS::Region}-${i}\n      AssumeRolePolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Principal:\n              Service: lambda.amazonaws.com\n            Action: sts:AssumeRole\n      Policies:\n        - PolicyName: read-${i}\n          PolicyDocument:\n            Version: '2012-10-17'\n            Statement:\n              - Sid: Read${i}\n                Effect: Allow\n                Action:\n                  - s3:GetObject\n                  - s3:ListBucket\n                Resource:\n                  - !Sub arn:\${AWS::Partition}:s3:::\${BucketName}\n                  - !Sub arn:\${AWS::Partition}:s3:::\${BucketName}/*\n                Condition:\n                  StringEquals:\n                    aws:RequestedRegion: !Ref AWS::Region\n`
        : `  BucketPolicy${i}:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref BucketName\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Sid: Deny${i}\n            Effect: Deny\n            Principal: '*'\n            Action: s3:*\n            Resource:\n              - !Sub arn:\${AWS::Partition}:s3:::\${BucketName}/*\n            Condition:\n              Bool:\n                aws:SecureTransport: 'false'\n          - Sid: Read${i}\n            Effect: Allow\n            Principal:\n              AWS: !Sub arn:\${AWS::Partition}:iam::\${AWS::AccountId}:root\n            Action: s3:GetObject\n            Resource: !Sub arn:\${AWS::Partition}:s3:::\${BucketName}/*\n`;
  }
  return text;
}

/** The same template in JSON, pretty-printed as CloudFormation's examples are. */
export function largeJsonTemplate(count: number): string {
  const resources: Record<string, unknown> = {};
  const sub = (text: string): unknown => ({ 'Fn::Sub': text });
  for (let i = 0; i < count; i++) {
    resources[`Role${i}`] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        RoleName: sub(`app-\${AWS::Region}-${i}`),
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [
          {
            PolicyName: `read-${i}`,
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                {
                  Sid: `Read${i}`,
                  Effect: 'Allow',
                  Action: ['s3:GetObject', 's3:ListBucket'],
                  Resource: [sub('arn:${AWS::Partition}:s3:::${BucketName}'), sub('arn:${AWS::Partition}:s3:::${BucketName}/*')],
                },
              ],
            },
          },
        ],
      },
    };
  }
  return `${JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Parameters: { BucketName: { Type: 'String' } }, Resources: resources }, null, 2)}\n`;
}
