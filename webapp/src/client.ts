// The RPC client: `/offboard rpc <method> <base64url(JSON)>` through Client4's executeCommand (POST
// /api/v4/commands/execute with the session cookie, X-Requested-With and the CSRF header), answered in `props`.
import {RPC_RESULTS, type RpcMethod, type RpcResult} from './rpc_types.js';

/** Where a command runs: commands are team-scoped, so the channel must be in a team with `/offboard`. */
export interface CommandContext {
    channel_id: string;
    team_id: string;
}

/** One error type for every failure, like Client4's ClientError, with a message meant for the admin. */
export class ClientError extends Error {
    constructor(
        message: string,
        readonly detail: {
            readonly status_code?: number;
            readonly server_error_id?: string;
            /** The service's RPC error code (bad_request, refused, not_found, conflict, ...). */
            readonly code?: string;
            /** Why the service refused the caller (not_allowed, stale_trigger, ...), for `refused`. */
            readonly reason?: string;
            /** The payload entry the error is about (`assignees.<step id>`, `identities.<system>`). */
            readonly field?: string;
            readonly url?: string;
        } = {},
    ) {
        super(message);
        this.name = 'ClientError';
    }
}

export interface Client {
    executeCommand(command: string, ctx: CommandContext): Promise<Record<string, unknown>>;
    rpc<M extends RpcMethod>(method: M, payload: Record<string, unknown>, ctx: CommandContext): Promise<RpcResult<M>>;
}

export interface ClientOptions {
    /** Site URL without a trailing slash (config SiteURL, or the page origin plus basename). */
    getSiteUrl(): string;
    fetch?: typeof fetch;
    /** document.cookie, injectable for tests. */
    getCookies?(): string;
}

export function base64url(text: string): string {
    let binary = '';
    for (const byte of new TextEncoder().encode(text)) {
        binary += String.fromCharCode(byte);
    }
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function cookieValue(cookies: string, name: string): string | undefined {
    for (const part of cookies.split(';')) {
        const [key, ...value] = part.trim().split('=');
        if (key === name) {
            return decodeURIComponent(value.join('='));
        }
    }
    return undefined;
}

/** The service refuses larger payloads (MAX_RPC_PAYLOAD_BYTES in server/src/mattermost/rpc_schema.ts). */
export const MAX_RPC_PAYLOAD_BYTES = 8 * 1024;

const SERVICE_DOWN = 'The offboarding service did not answer: it may be stopped or unreachable from Mattermost. ' +
    'Everything you entered is kept; try again when it is back.';

/** Turns an HTTP failure of commands/execute into what an admin can act on (api4/command.go error ids). */
export function describeHttpError(status: number, serverErrorId: string, serverMessage: string): string {
    switch (serverErrorId) {
    case 'api.command.execute_command.failed.app_error':
        return SERVICE_DOWN;
    case 'api.command.execute_command.failed_resp.app_error':
        return `The offboarding service refused the request (${serverMessage}). Check its logs and its command token.`;
    case 'api.command.execute_command.not_found.app_error':
        return '/offboard is not set up in this team. The offboarding service registers it in its configured teams: ' +
            'switch to one of those teams and try again.';
    case 'api.command.disabled.app_error':
        return 'Slash commands are disabled on this server (System Console > Integrations > Enable Custom Slash Commands).';
    }
    if (status === 401) {
        return 'Your Mattermost session has expired. Reload the page and sign in again.';
    }
    if (status === 403) {
        return 'You cannot run commands in this channel. Open the dialog from a channel you can post in.';
    }
    return `Mattermost answered ${status}${serverMessage ? `: ${serverMessage}` : ''}.`;
}

export function createClient(options: ClientOptions): Client {
    const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
    const getCookies = options.getCookies ?? (() => document.cookie);

    async function executeCommand(command: string, ctx: CommandContext): Promise<Record<string, unknown>> {
        const url = `${options.getSiteUrl()}/api/v4/commands/execute`;
        const headers: Record<string, string> = {
            'Content-Type': 'application/json',
            Accept: 'application/json',
            'X-Requested-With': 'XMLHttpRequest',
        };
        const csrf = cookieValue(getCookies(), 'MMCSRF');
        if (csrf) {
            headers['X-CSRF-Token'] = csrf;
        }
        let res: Response;
        try {
            res = await doFetch(url, {
                method: 'POST',
                credentials: 'include',
                headers,
                body: JSON.stringify({command, channel_id: ctx.channel_id, team_id: ctx.team_id}),
            });
        } catch {
            throw new ClientError('Cannot reach Mattermost. Check your network connection and try again.', {url});
        }
        let body: unknown = null;
        try {
            body = await res.json();
        } catch {
            body = null;
        }
        const record = typeof body === 'object' && body !== null ? body as Record<string, unknown> : {};
        if (!res.ok) {
            const id = typeof record.id === 'string' ? record.id : '';
            const message = typeof record.message === 'string' ? record.message : '';
            throw new ClientError(describeHttpError(res.status, id, message), {status_code: res.status, server_error_id: id, url});
        }
        return record;
    }

    async function rpc<M extends RpcMethod>(method: M, payload: Record<string, unknown>, ctx: CommandContext): Promise<RpcResult<M>> {
        const json = JSON.stringify({v: 1, ...payload});
        const bytes = new TextEncoder().encode(json).length;
        if (bytes > MAX_RPC_PAYLOAD_BYTES) {
            throw new ClientError(`This request is too large to send (${bytes} bytes, at most ${MAX_RPC_PAYLOAD_BYTES}). ` +
                'Switch off fewer items and try again.', {code: 'payload_too_large'});
        }
        const encoded = base64url(json);
        const response = await executeCommand(`/offboard rpc ${method} ${encoded}`, ctx);
        const props = response.props as Record<string, unknown> | undefined;
        const error = props?.error as {code?: unknown; message?: unknown; reason?: unknown; field?: unknown} | undefined;
        if (props?.ok === false && typeof error?.message === 'string') {
            throw new ClientError(error.message, {
                code: typeof error.code === 'string' ? error.code : 'error',
                ...(typeof error.reason === 'string' ? {reason: error.reason} : {}),
                ...(typeof error.field === 'string' ? {field: error.field} : {}),
            });
        }
        const parsed = RPC_RESULTS[method].safeParse(props?.ok === true ? props.result : undefined);
        if (!parsed.success) {
            throw new ClientError(`The offboarding service gave an answer to ${method} this plugin does not understand. ` +
                'Check that the plugin and the service are the same version.', {code: 'bad_response'});
        }
        return parsed.data as RpcResult<M>;
    }

    return {executeCommand, rpc};
}
