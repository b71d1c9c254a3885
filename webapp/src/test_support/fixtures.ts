// Answers shaped exactly like the service's (captured from server/src/mattermost/rpc.ts against the simulator's
// seeded workspace), for the component tests' fake transport.
import type {RunCard} from '../components/run_card/run_card_schema.js';
import type {Capabilities, InventoryView, RunView, StepSpecView, SubjectView} from '../rpc_types.js';

export const ADMIN_ID = 'i8as5umn7ihs7sb3uhkuwmcn1h';
export const DANA_ID = 'z7hszgsuxe9danxst11sbyfzkw';
export const INVENTORY_ID = 'jrs5ihz84m6kbqwdt53kmwizxk';
export const PLAN_ID = 'c7h5ca4borrpoonz8rbai8usr5';
export const RUN_ID = 'x9ohch5xu4jjs7sa8ye1zi6mu6';
export const CHANNEL_ID = 'k3y8w1ffq7bzjdpqj4d6qsg1ra';
export const TEAM_ID = 'p1bq6m8f3jf1tkqk6n3ww6zbye';

export const capabilities: Capabilities = {
    version: 1,
    caller: {user_id: ADMIN_ID, username: 'sysadmin', is_system_admin: true},
    require_approval: false,
    run_actions: ['retry_step', 'skip_step', 'complete_manual', 'approve', 'cancel'],
    providers: [{
        id: 'mattermost',
        title: 'Mattermost',
        identity_input: null,
        plan_options: [
            {key: 'account', title: 'Mattermost account', type: 'choice', default: 'configured', choices: [
                {value: 'configured', title: 'As configured'},
                {value: 'deactivate', title: 'Deactivate the account'},
                {value: 'keep', title: 'Keep the account, strip all access'},
            ]},
            {key: 'keep_teams', title: 'Teams kept when the account is kept', type: 'text', default: '', choices: null},
        ],
    }],
};

export const dana: SubjectView = {
    user_id: DANA_ID, username: 'dana', email: 'dana@example.com', display_name: 'Dana Whitfield',
    roles: ['system_user'], is_bot: false, is_system_admin: false,
};

export function inventory(done: boolean): InventoryView {
    return {
        id: INVENTORY_ID,
        subject: dana,
        done,
        providers: [{
            id: 'mattermost', title: 'Mattermost', status: done ? 'done' : 'running', error: null,
            identities: done ? [{id: DANA_ID, label: '@dana', source: 'Mattermost account', confidence: 'exact'}] : [],
            counts: done ? {session: 3, access_token: 2, oauth_app: 1} : {},
            total_findings: done ? 6 : 0,
        }],
    };
}

export const findings = [
    {id: 'session:1', kind: 'session', label: 'Session on Chrome/126.0 / Windows 11 (Windows)', risk: 'high', residual: false, identity_id: DANA_ID},
    {id: 'access_token:1', kind: 'access_token', label: 'Personal access token "CI deploy script"', risk: 'high', residual: false, identity_id: DANA_ID},
] as const;

const spec = (id: string, phase: StepSpecView['phase'], title: string, kind: StepSpecView['kind'] = 'auto'): StepSpecView => ({
    id, provider: 'mattermost', phase, action: id.split(':')[1] ?? id, target: DANA_ID, title, kind, depends_on: [],
    instructions: kind === 'manual' ? 'Collect the laptop.' : null, assignee: kind === 'manual' ? '@it-desk' : null,
});

export function planSteps(account = 'configured'): StepSpecView[] {
    return [
        spec('mattermost:revoke_sessions:dana', 'contain', 'Revoke all sessions of @dana'),
        spec('mattermost:revoke_token:t1', 'contain', 'Revoke personal access token "CI deploy script" of @dana'),
        ...(account === 'keep' ? [] : [spec('mattermost:deactivate_account:dana', 'contain', 'Deactivate the Mattermost account @dana')]),
        spec('mattermost:remove_from_team:acme', 'revoke', 'Remove @dana from team Acme Corp (acme) and its channels'),
        spec('mattermost:manual_review:laptop', 'cleanup', 'Collect the laptop', 'manual'),
    ];
}

export function run(status: RunView['status'] = 'running'): RunView {
    return {
        id: RUN_ID, status, subject: dana, initiator_id: ADMIN_ID, approval_required: status === 'awaiting_approval',
        approved_by: null, scheduled_at: null, channel_id: null, post_id: null, updated_at: 1_700_000_000_000,
        counts: {pending: 5, running: 0, done: 0, already_done: 0, failed: 0, skipped: 0, manual_pending: 0, manual_done: 0},
        total_steps: 5,
    };
}

/** A run card as the service posts it (RUN_CARD_CONTRACT.md). */
export function card(overrides: Partial<RunCard> = {}): RunCard {
    return {
        v: 1,
        run_id: RUN_ID,
        status: 'running',
        subject: {user_id: DANA_ID, username: 'dana', display_name: 'Dana Whitfield'},
        initiator_id: ADMIN_ID,
        approval_required: false,
        approved_by: null,
        scheduled_at: null,
        counts: {pending: 1, running: 0, done: 2, already_done: 0, failed: 1, skipped: 0, manual_pending: 1, manual_done: 0},
        total: 5,
        steps: [
            {id: 'mattermost:revoke_sessions:dana', provider: 'mattermost', phase: 'contain', title: 'Revoke all sessions of @dana',
                kind: 'auto', state: 'done', verified: true, error: null, assignee: null, note: null},
            {id: 'mattermost:revoke_token:t1', provider: 'mattermost', phase: 'contain', title: 'Revoke token "CI deploy script"',
                kind: 'auto', state: 'done', verified: true, error: null, assignee: null, note: null},
            {id: 'mattermost:remove_from_team:acme', provider: 'mattermost', phase: 'revoke', title: 'Remove @dana from team Acme Corp',
                kind: 'auto', state: 'failed', verified: null, error: 'Mattermost answered 500 twice; giving up', assignee: null, note: null},
            {id: 'mattermost:manual_review:laptop', provider: 'mattermost', phase: 'cleanup', title: 'Collect the laptop',
                kind: 'manual', state: 'manual_pending', verified: null, error: null, assignee: '@it-desk', note: null},
            {id: 'github:remove_member:dana', provider: 'github', phase: 'revoke', title: 'Remove dana-gh from the acme org',
                kind: 'auto', state: 'pending', verified: null, error: null, assignee: null, note: null},
        ],
        steps_truncated: false,
        updated_at: 1_700_000_000_000,
        ...overrides,
    };
}
