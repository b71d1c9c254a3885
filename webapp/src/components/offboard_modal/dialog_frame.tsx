// An accessible modal frame: role=dialog with a label, focus moved in on open and restored on close, Tab and
// Shift+Tab kept inside, Esc closes. Rendered as the plugin's root component (no host modal manager needed).
import React, {useEffect, useRef, useState} from 'react';

const FOCUSABLE = [
    'a[href]', 'button:not([disabled])', 'input:not([disabled])', 'select:not([disabled])', 'textarea:not([disabled])',
    '[tabindex]:not([tabindex="-1"])',
].join(',');

export function focusableIn(root: HTMLElement): HTMLElement[] {
    return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => !el.closest('[hidden]'));
}

interface Props {
    titleId: string;
    title: string;
    onClose(): void;
    children: React.ReactNode;
    footer: React.ReactNode;
}

export function DialogFrame({titleId, title, onClose, children, footer}: Props) {
    const dialog = useRef<HTMLDivElement>(null);
    // Read while rendering: by the time effects run, an autoFocus field inside the dialog already took focus.
    const [opener] = useState(() => (document.activeElement instanceof HTMLElement ? document.activeElement : null));
    useEffect(() => {
        const root = dialog.current;
        if (root && !root.contains(document.activeElement)) {
            (focusableIn(root)[0] ?? root).focus();
        }
        return () => opener?.focus();
    }, [opener]);

    const onKeyDown = (e: React.KeyboardEvent<HTMLDivElement>) => {
        if (e.key === 'Escape') {
            e.stopPropagation();
            onClose();
            return;
        }
        if (e.key !== 'Tab' || !dialog.current) {
            return;
        }
        const items = focusableIn(dialog.current);
        const first = items[0];
        const last = items[items.length - 1];
        if (!first || !last) {
            e.preventDefault();
            return;
        }
        if (e.shiftKey && (document.activeElement === first || document.activeElement === dialog.current)) {
            e.preventDefault();
            last.focus();
        } else if (!e.shiftKey && document.activeElement === last) {
            e.preventDefault();
            first.focus();
        }
    };

    return (
        <div className='offb-root offb-backdrop'>
            <div
                ref={dialog}
                className='offb-dialog'
                role='dialog'
                aria-modal='true'
                aria-labelledby={titleId}
                tabIndex={-1}
                onKeyDown={onKeyDown}
            >
                <div className='offb-dialog__header'>
                    <h2
                        id={titleId}
                        className='offb-dialog__title'
                    >
                        {title}
                    </h2>
                    <button
                        type='button'
                        className='offb-icon-btn'
                        aria-label='Close'
                        onClick={onClose}
                    >
                        {'×'}
                    </button>
                </div>
                <div className='offb-dialog__body'>{children}</div>
                <div className='offb-dialog__footer'>{footer}</div>
            </div>
        </div>
    );
}
