// The parts of AWS responses this provider reads, typed by hand from the API references so the rest of the provider
// stays independent of the SDK's generated types. Every field is optional, as the SDK declares them.

export interface Paged {
  readonly IsTruncated?: boolean;
  readonly Marker?: string;
  readonly NextToken?: string;
}

export interface Tag {
  readonly Key?: string;
  readonly Value?: string;
}

export interface OrgAccount {
  readonly Id?: string;
  readonly Name?: string;
  readonly Email?: string;
  /** `Status` is retired in 2026 in favour of `State` (ACTIVE, SUSPENDED, PENDING_CLOSURE, CLOSED, …). */
  readonly Status?: string;
  readonly State?: string;
}

export interface UserDetail {
  readonly UserName?: string;
  readonly UserId?: string;
  readonly Arn?: string;
  readonly Path?: string;
  readonly CreateDate?: Date;
  readonly UserPolicyList?: {PolicyName?: string; PolicyDocument?: string}[];
  readonly GroupList?: string[];
  readonly AttachedManagedPolicies?: {PolicyName?: string; PolicyArn?: string}[];
  readonly PermissionsBoundary?: {PermissionsBoundaryArn?: string};
  readonly Tags?: Tag[];
}

export interface AccessKeyMetadata {
  readonly AccessKeyId?: string;
  readonly Status?: string;
  readonly CreateDate?: Date;
  readonly UserName?: string;
}

export interface AccessKeyLastUsed {
  readonly UserName?: string;
  readonly AccessKeyLastUsed?: {LastUsedDate?: Date; ServiceName?: string; Region?: string};
}

export interface MfaDevice {
  readonly SerialNumber?: string;
  readonly EnableDate?: Date;
}

export interface TrailEventRow {
  readonly EventId?: string;
  readonly EventName?: string;
  readonly EventTime?: Date;
  readonly Username?: string;
  readonly CloudTrailEvent?: string;
}

export interface SsoAssignment {
  readonly AccountId?: string;
  readonly PermissionSetArn?: string;
  readonly PrincipalId?: string;
  readonly PrincipalType?: string;
}

export interface SsoDeletionStatus {
  readonly Status?: string;
  readonly RequestId?: string;
  readonly FailureReason?: string;
}

export interface ScpSummary {
  readonly Id?: string;
  readonly Name?: string;
}
