// A fake transport for the component tests: answers POST /api/v4/commands/execute like Mattermost relaying to the
// offboarding service (RPC in `props`), records every call, and can fail like a stopped service.

export interface RecordedCall {
    readonly method: string;
    readonly payload: Record<string, unknown>;
    readonly context: {channel_id: string; team_id: string};
    readonly headers: Record<string, string>;
    readonly credentials: RequestCredentials | undefined;
}

type Handler = (payload: Record<string, unknown>) => unknown;

export interface FakeService {
    readonly fetch: typeof fetch;
    readonly calls: RecordedCall[];
    /** Replaces a method's answer: a result object, or `{error: {code, message}}` for an RPC error. */
    on(method: string, handler: Handler): void;
    /** While set, every command fails like Mattermost does when the service is unreachable. */
    setDown(down: boolean): void;
    callsOf(method: string): RecordedCall[];
}

function decode(encoded: string): Record<string, unknown> {
    const b64 = encoded.replace(/-/g, '+').replace(/_/g, '/');
    const binary = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
}

export function fakeService(handlers: Record<string, Handler>): FakeService {
    const table = new Map(Object.entries(handlers));
    const calls: RecordedCall[] = [];
    let down = false;
    const respond = (status: number, body: unknown) => new Response(JSON.stringify(body), {status, headers: {'Content-Type': 'application/json'}});
    const doFetch = async (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
        const body = JSON.parse(String(init?.body)) as {command: string; channel_id: string; team_id: string};
        const [, verb, method = '', encoded = ''] = body.command.split(' ');
        if (verb !== 'rpc') {
            throw new Error(`the fake service only answers rpc commands, got ${body.command}`);
        }
        const payload = decode(encoded);
        calls.push({
            method, payload, context: {channel_id: body.channel_id, team_id: body.team_id},
            headers: init?.headers as Record<string, string>, credentials: init?.credentials,
        });
        if (down) {
            return respond(500, {id: 'api.command.execute_command.failed.app_error', message: "Command with a trigger of 'offboard' failed.", status_code: 500});
        }
        const handler = table.get(method);
        if (!handler) {
            return respond(200, {response_type: 'ephemeral', text: '', props: {ok: false, method, error: {code: 'unknown_method', message: `Unknown RPC method "${method}".`}}});
        }
        const answer = handler(payload) as {error?: {code: string; message: string}};
        const props = answer?.error ? {ok: false, method, error: answer.error} : {ok: true, method, result: answer};
        return respond(200, {response_type: 'ephemeral', text: '', props, trigger_id: 'client-trigger'});
    };
    return {
        fetch: doFetch as typeof fetch,
        calls,
        on: (method, handler) => void table.set(method, handler),
        setDown: (d) => void (down = d),
        callsOf: (method) => calls.filter((c) => c.method === method),
    };
}
