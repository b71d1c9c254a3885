// Calls run.act for the run card's buttons; the card itself changes when the service edits the post.
import {useCallback, useState} from 'react';

import {ClientError, type CommandContext} from '../../client.js';
import {useClient} from '../../client_context.js';

export type RunAction = 'retry_step' | 'skip_step' | 'complete_manual' | 'approve' | 'cancel';

export interface RunActionState {
    /** `${action}:${stepId}` of the call in flight, or null. */
    readonly pending: string | null;
    /** Readable failure of the last call, keyed like `pending`. */
    readonly error: {readonly key: string; readonly message: string} | null;
    act(action: RunAction, stepId?: string, note?: string): Promise<boolean>;
}

export function actionKey(action: RunAction, stepId?: string): string {
    return `${action}:${stepId ?? ''}`;
}

export function useRunAction(runId: string, context: CommandContext): RunActionState {
    const client = useClient();
    const [pending, setPending] = useState<string | null>(null);
    const [error, setError] = useState<RunActionState['error']>(null);
    const act = useCallback(async (action: RunAction, stepId?: string, note?: string) => {
        const key = actionKey(action, stepId);
        setPending(key);
        setError(null);
        try {
            const payload: Record<string, unknown> = {run_id: runId, action};
            if (stepId !== undefined) {
                payload.step_id = stepId;
            }
            if (note !== undefined) {
                payload.note = note;
            }
            await client.rpc('run.act', payload, context);
            return true;
        } catch (e) {
            setError({key, message: e instanceof ClientError ? e.message : String(e)});
            return false;
        } finally {
            setPending(null);
        }
    }, [client, runId, context]);
    return {pending, error, act};
}
