// The modal's draft: everything the admin entered or the service answered, kept in the plugin's reducer so an
// error, a closed modal or a step back never loses input.
import type {Capabilities, InventoryView, RunView, StepSpecView, SubjectView} from '../rpc_types.js';

export const WIZARD_STEPS = ['person', 'identities', 'inventory', 'checklist', 'confirm', 'progress'] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number];

export const WIZARD_STEP_TITLES: Readonly<Record<WizardStep, string>> = {
    person: 'Person',
    identities: 'Identities',
    inventory: 'Inventory',
    checklist: 'Checklist',
    confirm: 'Confirm',
    progress: 'Progress',
};

export type RunMode = 'now' | 'schedule' | 'approval';
export type OptionValue = string | number | boolean | null;

export interface DraftError {
    readonly message: string;
    /** The service's RPC error code, when the service answered. */
    readonly code: string | null;
    /** The input it is about (`assignees.<step id>`, `identities.<system>`): shown next to that field. */
    readonly field: string | null;
}

export interface Draft {
    readonly step: WizardStep;
    readonly query: string;
    readonly subject: SubjectView | null;
    readonly warnings: readonly string[];
    readonly inventoryId: string | null;
    readonly inventory: InventoryView | null;
    /** Systems the admin left out on the identities step: their steps are switched off. */
    readonly excludedProviders: readonly string[];
    /** What the admin typed per system in the identity editors (an editor is open while its system has an entry). */
    readonly identityInputs: Readonly<Record<string, string>>;
    /** The entered identities the current inventory was started with, per system. */
    readonly enteredIdentities: Readonly<Record<string, readonly string[]>>;
    /** Assignees the admin typed for manual steps (step id → username; empty: unassigned). */
    readonly assignees: Readonly<Record<string, string>>;
    /** Plan options the admin changed, per provider (defaults come from capabilities). */
    readonly options: Readonly<Record<string, Readonly<Record<string, OptionValue>>>>;
    /** The full checklist (no step switched off) and the options it was built with. */
    readonly planSteps: readonly StepSpecView[] | null;
    readonly planKey: string | null;
    readonly disabledSteps: readonly string[];
    readonly confirmText: string;
    readonly mode: RunMode;
    readonly scheduleDate: string;
    readonly scheduleTime: string;
    readonly timezone: string;
    readonly run: RunView | null;
    /** What is running now ("Looking up the person…"), or null. */
    readonly busy: string | null;
    readonly error: DraftError | null;
}

export function emptyDraft(query = ''): Draft {
    return {
        step: 'person',
        query,
        subject: null,
        warnings: [],
        inventoryId: null,
        inventory: null,
        excludedProviders: [],
        identityInputs: {},
        enteredIdentities: {},
        assignees: {},
        options: {},
        planSteps: null,
        planKey: null,
        disabledSteps: [],
        confirmText: '',
        mode: 'now',
        scheduleDate: '',
        scheduleTime: '09:00',
        timezone: '',
        run: null,
        busy: null,
        error: null,
    };
}

/** Option values in effect: each provider's defaults overridden by what the admin chose. */
export function effectiveOptions(capabilities: Capabilities | null, draft: Pick<Draft, 'options'>): Record<string, Record<string, OptionValue>> {
    const out: Record<string, Record<string, OptionValue>> = {};
    for (const provider of capabilities?.providers ?? []) {
        const values: Record<string, OptionValue> = {};
        for (const option of provider.plan_options) {
            const chosen = draft.options[provider.id]?.[option.key];
            values[option.key] = chosen === undefined ? option.default as OptionValue : chosen;
        }
        out[provider.id] = values;
    }
    return out;
}

/** Steps switched off: the admin's choices plus every step of an excluded system. */
export function disabledStepIds(draft: Pick<Draft, 'planSteps' | 'disabledSteps' | 'excludedProviders'>): string[] {
    const ids = new Set(draft.disabledSteps);
    for (const step of draft.planSteps ?? []) {
        if (draft.excludedProviders.includes(step.provider)) {
            ids.add(step.id);
        }
    }
    return [...ids];
}
