// Step 2: who the person is in each connected system, found by discovery (which runs in the background, hence the
// loading states). A wrong or unwanted system can be left out: its checklist steps are then switched off.
import React from 'react';
import {useSelector} from 'react-redux';

import {patchDraft} from '../../store/actions.js';
import {pluginState} from '../../store/selectors.js';
import type {IdentityView} from '../../rpc_types.js';
import type {HostState} from '../../types/mattermost.js';
import {Busy, Switch} from '../widgets/controls.js';

import type {Operation} from './use_operation.js';

const CONFIDENCE: Readonly<Record<IdentityView['confidence'], string>> = {
    exact: 'exact match',
    ambiguous: 'ambiguous: becomes a manual check',
    not_found: 'not found',
};

export function IdentitiesStep({op}: {op: Operation}) {
    const draft = useSelector((state: HostState) => pluginState(state).draft);
    const {inventory, excludedProviders, subject} = draft;
    const toggle = (provider: string, include: boolean) => op.ops.dispatch(patchDraft({
        excludedProviders: include ? excludedProviders.filter((p) => p !== provider) : [...excludedProviders, provider],
    }));
    return (
        <div>
            <h3
                id='offb-step-heading'
                className='offb-step-heading'
                tabIndex={-1}
            >
                {'Identities per system'}
            </h3>
            <p className='offb-muted'>
                {`Who @${subject?.username ?? ''} is in each connected system. Leave a system out when the match is ` +
                    'wrong; its steps are switched off in the checklist.'}
            </p>
            {!inventory && !draft.error && <Busy label='Starting discovery…'/>}
            {inventory?.providers.map((p) => (
                <fieldset
                    key={p.id}
                    className='offb-box'
                >
                    <legend className='offb-box__title'>{p.title}</legend>
                    {(p.status === 'pending' || p.status === 'running') && <Busy label={`Looking up ${p.title}…`}/>}
                    {p.status === 'failed' && (
                        <p className='offb-warning'>
                            {`Discovery failed: ${p.error ?? 'unknown error'}. The checklist gets a manual check instead.`}
                        </p>
                    )}
                    {p.status === 'done' && p.identities.length === 0 && <p className='offb-muted'>{'No account found.'}</p>}
                    <ul className='offb-list'>
                        {p.identities.map((i) => (
                            <li key={i.id}>
                                <span className='offb-strong'>{i.label}</span>
                                <span className='offb-muted'>{` · ${i.source} · `}</span>
                                <span className={`offb-badge offb-badge--${i.confidence}`}>{CONFIDENCE[i.confidence]}</span>
                            </li>
                        ))}
                    </ul>
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
