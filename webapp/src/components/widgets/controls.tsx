// Small accessible building blocks shared by the modal and the run card: a labelled switch, an error banner with
// a retry button, a busy indicator, a progress bar and the modal steps' heading.
import React from 'react';

interface SwitchProps {
    id: string;
    label: React.ReactNode;
    checked: boolean;
    disabled?: boolean;
    description?: React.ReactNode;
    onChange(checked: boolean): void;
}

export function Switch({id, label, checked, disabled, description, onChange}: SwitchProps) {
    return (
        <div className='offb-switch'>
            <input
                id={id}
                type='checkbox'
                role='switch'
                className='offb-switch__input'
                checked={checked}
                disabled={disabled}
                aria-describedby={description ? `${id}-desc` : undefined}
                onChange={(e) => onChange(e.target.checked)}
            />
            <label
                htmlFor={id}
                className='offb-switch__label'
            >
                {label}
            </label>
            {description && (
                <div
                    id={`${id}-desc`}
                    className='offb-muted offb-switch__desc'
                >
                    {description}
                </div>
            )}
        </div>
    );
}

interface ErrorBannerProps {
    message: string;
    onRetry?: () => void;
    retryLabel?: string;
}

export function ErrorBanner({message, onRetry, retryLabel = 'Try again'}: ErrorBannerProps) {
    return (
        <div
            className='offb-error'
            role='alert'
        >
            <span className='offb-error__text'>{message}</span>
            {onRetry && (
                <button
                    type='button'
                    className='offb-btn offb-btn--tertiary'
                    onClick={onRetry}
                >
                    {retryLabel}
                </button>
            )}
        </div>
    );
}

export function Busy({label}: {label: string}) {
    return (
        <div
            className='offb-busy'
            role='status'
            aria-live='polite'
        >
            <span
                className='offb-spinner'
                aria-hidden='true'
            />
            {label}
        </div>
    );
}

interface ProgressBarProps {
    value: number;
    max: number;
    label: string;
    tone?: 'ok' | 'error';
}

export function ProgressBar({value, max, label, tone = 'ok'}: ProgressBarProps) {
    const percent = max > 0 ? Math.round((value / max) * 100) : 0;
    return (
        <div
            className='offb-progress'
            role='progressbar'
            aria-label={label}
            aria-valuemin={0}
            aria-valuemax={max}
            aria-valuenow={value}
            aria-valuetext={`${value} of ${max}`}
        >
            <div
                className={`offb-progress__fill offb-progress__fill--${tone}`}
                style={{width: `${percent}%`}}
            />
        </div>
    );
}

/** The id the modal focuses when a step opens (offboard_modal.tsx), so screen readers announce the new step. */
export const STEP_HEADING_ID = 'offb-step-heading';

/** A modal step's heading: programmatically focusable (not in the tab order), one per step. */
export function StepHeading({children}: {children: React.ReactNode}) {
    return (
        <h3
            id={STEP_HEADING_ID}
            className='offb-step-heading'
            tabIndex={-1}
        >
            {children}
        </h3>
    );
}
