// What the admin types into the modal besides options, as the service wants it: identities per system (checked
// against each system's rules before anything is sent) and assignees of manual steps (only what differs from the plan).
import type {Capabilities, IdentityInputView, StepSpecView} from '../rpc_types.js';

import {disabledStepIds, type Draft} from './draft.js';

/** The service refuses longer ids (MAX_ENTERED_ID_LENGTH in server/src/mattermost/rpc_schema.ts). */
export const MAX_ENTERED_ID_LENGTH = 128;

/** One id per line or separated by commas (or spaces, which no id contains); duplicates dropped regardless of case. */
export function splitIds(text: string): string[] {
    const seen = new Set<string>();
    const ids: string[] = [];
    for (const id of text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean)) {
        if (!seen.has(id.toLowerCase())) {
            seen.add(id.toLowerCase());
            ids.push(id);
        }
    }
    return ids;
}

/** Why these ids cannot be sent for this system, or null. */
export function identityProblem(input: IdentityInputView, ids: readonly string[]): string | null {
    if (ids.length > input.max_ids) {
        return input.max_ids === 1 ? `Enter one ${input.label}, not ${ids.length}.` : `Enter at most ${input.max_ids} ${input.label}s.`;
    }
    const pattern = input.pattern === null ? null : new RegExp(input.pattern, 'u');
    for (const id of ids) {
        if (id.length > MAX_ENTERED_ID_LENGTH) {
            return `"${id.slice(0, 40)}…" is longer than ${MAX_ENTERED_ID_LENGTH} characters.`;
        }
        if (pattern && !pattern.test(id)) {
            return `"${id}" is not a valid ${input.label}.`;
        }
    }
    return null;
}

export interface EnteredIdentities {
    /** System id → ids to send (systems with nothing entered are left out: they resolve automatically). */
    readonly ids: Record<string, string[]>;
    /** System id → why its entry cannot be sent. */
    readonly problems: Record<string, string>;
}

export function enteredIdentities(capabilities: Capabilities | null, inputs: Draft['identityInputs']): EnteredIdentities {
    const ids: Record<string, string[]> = {};
    const problems: Record<string, string> = {};
    for (const provider of capabilities?.providers ?? []) {
        const text = inputs[provider.id];
        if (text === undefined || provider.identity_input === null) {
            continue;
        }
        const list = splitIds(text);
        const problem = identityProblem(provider.identity_input, list);
        if (problem !== null) {
            problems[provider.id] = problem;
        } else if (list.length > 0) {
            ids[provider.id] = list;
        }
    }
    return {ids, problems};
}

function normalUsername(name: string): string {
    return name.trim().replace(/^@/, '').toLowerCase();
}

/** The assignee shown for a manual step: what the admin typed, else what the plan proposes. */
export function assigneeOf(draft: Pick<Draft, 'assignees'>, step: StepSpecView): string {
    return draft.assignees[step.id] ?? step.assignee ?? '';
}

/** Assignees to send with plan.create: manual steps that run, where the admin changed the plan's proposal. */
export function assigneesToSend(draft: Pick<Draft, 'assignees' | 'planSteps' | 'disabledSteps' | 'excludedProviders'>):
    Record<string, string> {
    const off = new Set(disabledStepIds(draft));
    const out: Record<string, string> = {};
    for (const step of draft.planSteps ?? []) {
        const typed = draft.assignees[step.id];
        if (step.kind === 'manual' && !off.has(step.id) && typed !== undefined &&
            normalUsername(typed) !== normalUsername(step.assignee ?? '')) {
            out[step.id] = typed.trim();
        }
    }
    return out;
}
