// The GitHub simulator's state records. Logins and names are matched case-insensitively like GitHub does; maps are
// keyed by the lower-cased form and every record keeps its display spelling.

/** REST permission names for repository roles, lowest to highest. */
export const REPO_PERMISSIONS = ['pull', 'triage', 'push', 'maintain', 'admin'] as const;
export type RepoPermission = (typeof REPO_PERMISSIONS)[number];

/** An organization's base permission (`default_repository_permission`). */
export type BasePermission = 'none' | 'read' | 'write' | 'admin';
export type OrgRole = 'admin' | 'member';
export type TeamRole = 'member' | 'maintainer';

export interface SimUser {
  readonly id: number;
  readonly login: string;
  readonly nodeId: string;
  readonly name: string;
  /** Every email of the account (GitHub shows org owners those on the org's verified domains). */
  readonly emails: readonly string[];
  readonly type: 'User' | 'Bot';
}

export interface SimTeam {
  readonly id: number;
  readonly nodeId: string;
  readonly slug: string;
  readonly name: string;
  readonly parentSlug: string | null;
  /** Immediate members by lower-cased login. */
  readonly members: Map<string, TeamRole>;
  /** Repository grants by lower-cased repository name. */
  readonly repos: Map<string, RepoPermission>;
}

export interface SimDeployKey {
  readonly id: number;
  readonly key: string;
  readonly title: string;
  readonly readOnly: boolean;
  readonly createdAt: string;
  readonly addedBy: string | null;
  readonly lastUsed: string | null;
}

export interface SimRepoInvitation {
  readonly id: number;
  readonly nodeId: string;
  readonly invitee: string;
  readonly inviter: string;
  readonly permission: RepoPermission;
  readonly createdAt: string;
}

export interface SimRepo {
  readonly id: number;
  readonly nodeId: string;
  readonly name: string;
  /** Organization or user login. */
  readonly owner: string;
  readonly ownerIsOrg: boolean;
  readonly private: boolean;
  readonly fork: boolean;
  /** `owner/name` of the parent when this is a fork. */
  readonly parent: string | null;
  readonly createdAt: string;
  /** Direct grants by lower-cased login. */
  readonly collaborators: Map<string, RepoPermission>;
  readonly invitations: Map<number, SimRepoInvitation>;
  readonly deployKeys: Map<number, SimDeployKey>;
  /** Rendered `minimal-repository` JSON, built on first listing (listings of 10,000 repositories stay cheap). */
  json?: string;
}

export interface SimOrgInvitation {
  readonly id: number;
  readonly nodeId: string;
  /** Null for an invitation sent to an email address only. */
  readonly login: string | null;
  readonly email: string | null;
  readonly role: 'direct_member' | 'admin' | 'billing_manager';
  readonly inviter: string;
  readonly createdAt: string;
}

export interface SimExternalIdentity {
  readonly guid: string;
  /** The SAML NameID, usually the IdP's email or user name. */
  readonly nameId: string;
  readonly emails: readonly string[];
  readonly username: string | null;
  /** The linked GitHub account; null until the person signs in once. */
  readonly login: string | null;
}

export interface SimCredentialAuthorization {
  readonly credentialId: number;
  readonly login: string;
  readonly type: 'personal access token' | 'SSH key' | 'OAuth app token' | 'GitHub app token';
  /** Last eight characters of a token; only tokens have them. */
  readonly tokenLastEight: string | null;
  /** SSH key fingerprint; only keys have one. */
  readonly fingerprint: string | null;
  readonly authorizedAt: string;
  readonly accessedAt: string | null;
  readonly authorizedCredentialId: number;
  readonly title: string | null;
  readonly note: string | null;
  readonly scopes: readonly string[];
}

export interface SimPatGrant {
  readonly id: number;
  readonly owner: string;
  readonly tokenId: number;
  readonly tokenName: string;
  readonly repositorySelection: 'all' | 'subset' | 'none';
  readonly permissions: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly grantedAt: string;
  readonly expiresAt: string | null;
  readonly lastUsedAt: string | null;
}

export interface SimOrg {
  readonly id: number;
  readonly nodeId: string;
  readonly login: string;
  readonly name: string;
  basePermission: BasePermission;
  /** GitHub Enterprise Cloud: higher App rate limits, SAML SSO and credential authorizations. */
  readonly enterpriseCloud: boolean;
  /** Enterprise account slug, when the organization belongs to one. */
  readonly enterprise: string | null;
  /** SAML single sign-on is configured (needs enterpriseCloud). */
  readonly samlSso: boolean;
  readonly verifiedDomains: readonly string[];
  readonly members: Map<string, OrgRole>;
  readonly invitations: Map<number, SimOrgInvitation>;
  readonly teams: Map<string, SimTeam>;
  readonly repos: Map<string, SimRepo>;
  /** Creation order, for listings that page through thousands of repositories. */
  readonly repoList: SimRepo[];
  readonly externalIdentities: SimExternalIdentity[];
  readonly credentialAuthorizations: Map<number, SimCredentialAuthorization>;
  readonly patGrants: Map<number, SimPatGrant>;
}

/** Who a request acts as. */
export type Principal =
  | {readonly kind: 'user'; readonly login: string}
  | {readonly kind: 'installation'; readonly installationId: number; readonly org: string}
  | {readonly kind: 'app'; readonly appId: number};

export interface SimApp {
  readonly id: number;
  readonly slug: string;
  /** PEM (SPKI) of the key that signs the App's JWTs. */
  readonly publicKeyPem: string;
  /** Installation id by lower-cased organization login. */
  readonly installations: Map<string, number>;
  readonly permissions: Readonly<Record<string, string>>;
}
