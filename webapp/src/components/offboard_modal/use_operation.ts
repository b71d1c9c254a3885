// Runs one of the modal's service calls: shows what is happening, turns failures into a readable banner with a
// working "Try again", and never touches what the admin entered.
import {useCallback, useRef} from 'react';

import {ClientError} from '../../client.js';
import {useOps} from '../../client_context.js';
import {patchDraft} from '../../store/actions.js';
import type {DraftError} from '../../store/draft.js';
import type {Ops} from '../../store/operations.js';

export function toDraftError(e: unknown): DraftError {
    if (e instanceof ClientError) {
        return {message: e.message, code: e.detail.code ?? null, field: e.detail.field ?? null};
    }
    return {message: `Something went wrong in the offboarding plugin: ${e instanceof Error ? e.message : String(e)}`, code: null, field: null};
}

export interface Operation {
    readonly ops: Ops;
    /** Runs `fn`; `label` (or null for silent polls) is shown while it runs. Resolves to whether it succeeded. */
    run(label: string | null, fn: (ops: Ops) => Promise<void>): Promise<boolean>;
    /** Repeats the last failed call, if any. */
    retry(): void;
    canRetry(): boolean;
}

export function useOperation(): Operation {
    const ops = useOps();
    const lastFailed = useRef<(() => void) | null>(null);
    const run = useCallback(async (label: string | null, fn: (o: Ops) => Promise<void>): Promise<boolean> => {
        ops.dispatch(patchDraft(label === null ? {error: null} : {busy: label, error: null}));
        try {
            await fn(ops);
            lastFailed.current = null;
            if (label !== null) {
                ops.dispatch(patchDraft({busy: null}));
            }
            return true;
        } catch (e) {
            lastFailed.current = () => {
                run(label ?? 'Trying again…', fn);
            };
            ops.dispatch(patchDraft({busy: null, error: toDraftError(e)}));
            return false;
        }
    }, [ops]);
    const retry = useCallback(() => lastFailed.current?.(), []);
    const canRetry = useCallback(() => lastFailed.current !== null, []);
    return {ops, run, retry, canRetry};
}
