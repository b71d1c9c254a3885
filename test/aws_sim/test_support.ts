// Helpers for the simulator's own suites: SDK clients signed with any credentials against the simulator, and a
// small organization with one member account.
import {IAMClient} from '@aws-sdk/client-iam';
import {OrganizationsClient} from '@aws-sdk/client-organizations';
import {STSClient} from '@aws-sdk/client-sts';
import type {Credentials} from './ops.js';
import {type AwsSim, startAwsSim, type AwsSimOptions} from './sim.js';

export const MANAGEMENT = '100000000000';
export const MEMBER = '200000000001';

export interface SimFixture {
  readonly sim: AwsSim;
  readonly admin: Credentials;
  iam(credentials?: Credentials & {sessionToken?: string}): IAMClient;
  sts(credentials?: Credentials & {sessionToken?: string}): STSClient;
  organizations(credentials?: Credentials): OrganizationsClient;
}

export async function simFixture(options: AwsSimOptions = {}): Promise<SimFixture> {
  const sim = await startAwsSim(options);
  const {credentials: admin} = sim.createOrganization({managementAccountId: MANAGEMENT, email: 'root@example.com'});
  sim.addMemberAccount({id: MEMBER, name: 'prod', email: 'prod@example.com'});
  const base = (credentials: Credentials & {sessionToken?: string} = admin) => ({
    region: 'us-east-1', endpoint: sim.url, credentials, maxAttempts: 1,
  });
  return {
    sim, admin,
    iam: (c) => new IAMClient(base(c)),
    sts: (c) => new STSClient(base(c)),
    organizations: (c) => new OrganizationsClient(base(c)),
  };
}

/** The SDK error of a rejected call, for assertions on name, status and message. */
export async function failure(promise: Promise<unknown>): Promise<{name: string; status: number | undefined;
  message: string}> {
  try {
    await promise;
  } catch (e) {
    const err = e as {name: string; message: string; $metadata?: {httpStatusCode?: number}};
    return {name: err.name, status: err.$metadata?.httpStatusCode, message: err.message};
  }
  throw new Error('expected the call to fail');
}

