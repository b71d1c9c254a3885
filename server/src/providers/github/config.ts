// The `providers.github` YAML section: where GitHub is (github.com or an Enterprise Server), how the service signs in
// (a GitHub App installation, preferred, or an owner's token), which organizations it cleans, and the checklist's
// defaults (mapping, access mode, shared secrets to rotate).
import {z} from 'zod';

const name = z.string().trim().min(1, 'must not be empty');
const login = name.transform((l) => l.replace(/^@/, ''));

const appSchema = z.strictObject({
  app_id: z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'must be a number').transform(Number)]),
  /** The App's private key (PEM); give it as private_key_file. */
  private_key: z.string().min(1, 'must not be empty'),
  /** Installation id per organization; looked up with the App's JWT when absent. */
  installation_ids: z.record(z.string(), z.number().int().positive()).optional(),
});

const sharedSecretSchema = z.strictObject({
  name,
  /** What to do, e.g. where the token lives and how to rotate it. */
  instructions: z.string().trim().optional(),
  /** Mattermost username of whoever should rotate it. */
  owner: login.optional(),
});

export const ACCESS_MODES = ['remove', 'read_only'] as const;

export const configSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** REST base URL: https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server. */
  base_url: z.url({protocol: /^https?$/, error: 'must be an http(s) URL'}).transform((u) => u.replace(/\/+$/, ''))
    .default('https://api.github.com'),
  orgs: z.array(name).min(1, 'list at least one organization'),
  /** A classic token of an organization owner (scopes admin:org, repo); give it as token_file. */
  token: z.string().min(1, 'must not be empty').optional(),
  app: appSchema.optional(),
  /** Enterprise Cloud enterprise slug: pending repository invitations are then found in one query. */
  enterprise: name.optional(),
  /** Mattermost username → GitHub login, checked before anything else. */
  mapping: z.record(z.string(), login).default({})
    .transform((m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k.replace(/^@/, '').toLowerCase(), v]))),
  default_access: z.enum(ACCESS_MODES).default('remove'),
  /** Tokens and keys the person could read (bots' tokens, CI secrets): each becomes a manual rotation task. */
  shared_secrets: z.array(sharedSecretSchema).default([]),
  /** Without `enterprise`, pending repository invitations are listed repository by repository up to this many. */
  repo_invitation_scan_limit: z.number().int().min(0).default(500),
  request_timeout_ms: z.number().int().positive().default(30_000),
}).refine((c) => (c.token === undefined) !== (c.app === undefined), {
  message: 'give either token (token_file) or app, not both and not neither',
  path: ['token'],
});

export type GithubConfig = z.output<typeof configSchema>;
export type GithubAppConfig = z.output<typeof appSchema>;
export type SharedSecret = z.output<typeof sharedSecretSchema>;

export const configExample = `  github:
    # REST base URL; GitHub Enterprise Server: https://ghe.example.com/api/v3
    base_url: https://api.github.com
    orgs: [acme]
    # Sign in as a GitHub App installation (preferred: higher rate limits, and the only way to see fine-grained
    # token grants). Permissions: Members, Administration, Personal access tokens (organization): read & write;
    # Administration (repository): read & write.
    app:
      app_id: 123456
      private_key_file: /etc/offboard/github-app.pem
      # installation_ids: {acme: 45678901}    # looked up when absent
    # ...or a classic token of an organization owner (scopes admin:org, repo) instead of app:
    # token_file: /etc/offboard/github-token
    # Enterprise Cloud enterprise slug: finds pending repository invitations in one query.
    # enterprise: acme-ent
    # Mattermost username → GitHub login; otherwise SAML identities and verified-domain emails are used.
    mapping: {}
    # remove, or read_only (keeps the person able to read and review)
    default_access: remove
    # Tokens the person could read; each becomes a manual rotation task.
    shared_secrets: []
    #  - name: Mattermod's GitHub token
    #    instructions: Regenerate it in the bot account's settings and update the deployment secret.
    #    owner: it-admin
`;
