// Step 2: who the person is in each connected system, found by discovery (which runs in the background, hence the
// loading states). Where a system allows it the admin corrects the identity and looks it up again; a wrong or
// unwanted system can be left out: its checklist steps are then switched off.
import React from 'react';
import {useSelector} from 'react-redux';

import {patchDraft} from '../../store/actions.js';
import {pluginState} from '../../store/selectors.js';
import type {IdentityView, InventoryProviderView} from '../../rpc_types.js';
import type {HostState} from '../../types/mattermost.js';
import {Busy, StepHeading, Switch} from '../widgets/controls.js';

import {IdentityEditor} from './identity_editor.js';
import type {Operation} from './use_operation.js';

const CONFIDENCE: Readonly<Record<IdentityView['confidence'], string>> = {
    exact: 'exact match',
    ambiguous: 'ambiguous: becomes a manual check',
    not_found: 'not found',
};

function Found({state, title}: {state: InventoryProviderView | undefined; title: string}) {
    if (!state || state.status === 'pending' || state.status === 'running') {
        return <Busy label={`Looking up ${title}…`}/>;
    }
    if (state.status === 'failed') {
        return (
            <p className='offb-warning'>
                {`Discovery failed: ${state.error ?? 'unknown error'}. The checklist gets a manual check instead.`}
            </p>
        );
    }
    if (state.identities.length === 0) {
        return <p className='offb-muted'>{'No account found.'}</p>;
    }
    return (
        <ul className='offb-list'>
            {state.identities.map((i) => (
                <li key={i.id}>
                    <span className='offb-strong'>{i.label}</span>
                    <span className='offb-muted'>{` · ${i.source} · `}</span>
                    <span className={`offb-badge offb-badge--${i.confidence}`}>{CONFIDENCE[i.confidence]}</span>
                </li>
            ))}
        </ul>
    );
}

export function IdentitiesStep({op}: {op: Operation}) {
    const {draft, capabilities} = useSelector((state: HostState) => pluginState(state));
    const {inventory, excludedProviders, subject} = draft;
    const toggle = (provider: string, include: boolean) => op.ops.dispatch(patchDraft({
        excludedProviders: include ? excludedProviders.filter((p) => p !== provider) : [...excludedProviders, provider],
    }));
    // The systems come from capabilities, so an editor stays in place while a new inventory replaces the old one.
    const systems = capabilities?.providers.map((p) => ({id: p.id, title: p.title, input: p.identity_input})) ??
        inventory?.providers.map((p) => ({id: p.id, title: p.title, input: null})) ?? [];
    return (
        <div>
            <StepHeading>{'Identities per system'}</StepHeading>
            <p className='offb-muted'>
                {`Who @${subject?.username ?? ''} is in each connected system. ` +
                    (systems.some((p) => p.input) ? 'Correct an identity that is wrong or missing and look it up again, or ' +
                        'leave a system out; ' : 'Leave a system out when the match is wrong; ') +
                    'its steps are then switched off in the checklist.'}
            </p>
            {!inventory && !draft.error && !draft.busy && <Busy label='Starting discovery…'/>}
            {(inventory || draft.inventoryId !== null || Object.keys(draft.identityInputs).length > 0) && systems.map((p) => (
                <fieldset
                    key={p.id}
                    className='offb-box'
                >
                    <legend className='offb-box__title'>{p.title}</legend>
                    <Found
                        state={inventory?.providers.find((s) => s.id === p.id)}
                        title={p.title}
                    />
                    {p.input && (
                        <IdentityEditor
                            providerId={p.id}
                            title={p.title}
                            input={p.input}
                            op={op}
                        />
                    )}
                    <Switch
                        id={`offb-include-${p.id}`}
                        label={`Include ${p.title}`}
                        checked={!excludedProviders.includes(p.id)}
                        onChange={(checked) => toggle(p.id, checked)}
                    />
                </fieldset>
            ))}
        </div>
    );
}
