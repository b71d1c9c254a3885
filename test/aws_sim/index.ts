// Public API of the AWS simulator (IAM, STS, Organizations, CloudTrail, IAM Identity Center).

export {startAwsSim} from './sim.js';
export type {AwsSim, AwsSimOptions, FaultSpec} from './sim.js';
export {AwsSimError} from './errors.js';
export {DEFAULT_ROLE} from './ops.js';
export type {Credentials, TrailActor} from './ops.js';
export {addFullDependents, awsSandboxSection, DANA, memberAccountId, seedAwsOrg} from './seed.js';
export type {AwsOrgSeedOptions, AwsSeedPerson, SeededAwsOrg} from './seed.js';
export {blockingDependent} from './iam_writes.js';
export {closeQuota} from './organizations.js';
export type {SimState} from './state.js';
export {callAs} from './probe.js';
