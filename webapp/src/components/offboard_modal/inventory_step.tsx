// Step 3: everything the person can still reach, per system: counts by kind, and the items themselves behind an
// expandable "Show details" (paged from inventory.get). Systems still being discovered show a loading state.
import React, {useState} from 'react';
import {useSelector} from 'react-redux';

import {ClientError} from '../../client.js';
import {loadFindings} from '../../store/operations.js';
import {pluginState} from '../../store/selectors.js';
import type {FindingView, InventoryProviderView} from '../../rpc_types.js';
import type {HostState} from '../../types/mattermost.js';
import {Busy, ErrorBanner, StepHeading} from '../widgets/controls.js';

import type {Operation} from './use_operation.js';

const ACRONYMS: Readonly<Record<string, string>> = {oauth: 'OAuth', sso: 'SSO', ssh: 'SSH', gpg: 'GPG', iam: 'IAM', mfa: 'MFA', api: 'API'};

/** `oauth_app` → `OAuth app`: finding kinds as words. */
export function humanizeKind(kind: string): string {
    const text = kind.split('_').filter(Boolean).map((w) => ACRONYMS[w] ?? w).join(' ');
    return text.charAt(0).toUpperCase() + text.slice(1);
}

interface Details {
    items: FindingView[];
    nextPage: number | null;
    loading: boolean;
    error: string | null;
}

function ProviderInventory({provider, op}: {provider: InventoryProviderView; op: Operation}) {
    const [open, setOpen] = useState(false);
    const [details, setDetails] = useState<Details>({items: [], nextPage: 0, loading: false, error: null});
    const load = async (page: number) => {
        setDetails((d) => ({...d, loading: true, error: null}));
        try {
            const result = await loadFindings(op.ops, provider.id, page);
            setDetails((d) => ({
                items: page === 0 ? result.findings ?? [] : [...d.items, ...(result.findings ?? [])],
                nextPage: result.next_page ?? null,
                loading: false,
                error: null,
            }));
        } catch (e) {
            setDetails((d) => ({...d, loading: false, error: e instanceof ClientError ? e.message : String(e)}));
        }
    };
    const toggle = () => {
        setOpen(!open);
        if (!open && details.items.length === 0 && details.nextPage === 0) {
            load(0);
        }
    };
    const running = provider.status === 'pending' || provider.status === 'running';
    const listId = `offb-findings-${provider.id}`;
    return (
        <section
            className='offb-box'
            aria-labelledby={`${listId}-title`}
        >
            <h4
                id={`${listId}-title`}
                className='offb-box__title'
            >
                {provider.title}
                <span className='offb-muted'>{running ? ' · discovering…' : ` · ${provider.total_findings} items`}</span>
            </h4>
            {running && <Busy label={`Discovering what remains in ${provider.title}…`}/>}
            {provider.status === 'failed' && <p className='offb-warning'>{`Discovery failed: ${provider.error ?? 'unknown error'}`}</p>}
            {provider.status === 'done' && (
                <dl className='offb-counts'>
                    {Object.entries(provider.counts).map(([kind, count]) => (
                        <div
                            key={kind}
                            className='offb-counts__item'
                        >
                            <dt>{humanizeKind(kind)}</dt>
                            <dd>{count}</dd>
                        </div>
                    ))}
                </dl>
            )}
            {provider.status === 'done' && provider.total_findings > 0 && (
                <button
                    type='button'
                    className='offb-link'
                    aria-expanded={open}
                    aria-controls={listId}
                    onClick={toggle}
                >
                    {open ? 'Hide details' : `Show details for ${provider.title}`}
                </button>
            )}
            {open && (
                <div id={listId}>
                    <ul className='offb-list'>
                        {details.items.map((f) => (
                            <li key={f.id}>
                                <span className={`offb-badge offb-badge--risk-${f.risk}`}>{`${f.risk} risk`}</span>
                                {` ${f.label}`}
                                {f.residual && <span className='offb-muted'>{' · cannot be revoked by API (reported)'}</span>}
                            </li>
                        ))}
                    </ul>
                    {details.loading && <Busy label='Loading…'/>}
                    {details.error && (
                        <ErrorBanner
                            message={details.error}
                            onRetry={() => load(details.nextPage ?? 0)}
                        />
                    )}
                    {!details.loading && !details.error && details.nextPage !== null && details.nextPage > 0 && (
                        <button
                            type='button'
                            className='offb-link'
                            onClick={() => load(details.nextPage ?? 0)}
                        >
                            {'Show more'}
                        </button>
                    )}
                </div>
            )}
        </section>
    );
}

export function InventoryStep({op}: {op: Operation}) {
    const draft = useSelector((state: HostState) => pluginState(state).draft);
    const inventory = draft.inventory;
    return (
        <div>
            <StepHeading>{`What @${draft.subject?.username ?? ''} can still reach`}</StepHeading>
            {!inventory && !draft.error && <Busy label='Starting discovery…'/>}
            {inventory?.providers.filter((p) => !draft.excludedProviders.includes(p.id)).map((p) => (
                <ProviderInventory
                    key={p.id}
                    provider={p}
                    op={op}
                />
            ))}
            {inventory && draft.excludedProviders.length > 0 && (
                <p className='offb-muted'>{`Left out: ${inventory.providers.filter((p) => draft.excludedProviders.includes(p.id)).map((p) => p.title).join(', ')}.`}</p>
            )}
        </div>
    );
}
