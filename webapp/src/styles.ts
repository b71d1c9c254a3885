// The plugin's stylesheet, injected once. Colours come only from Mattermost's theme CSS variables (set by the host
// from the user's theme), so light and dark themes both work; fallbacks are the default light theme.

const FG = 'var(--center-channel-color, #3f4350)';
const BG = 'var(--center-channel-bg, #ffffff)';
const FG_RGB = 'var(--center-channel-color-rgb, 63, 67, 80)';
const ACCENT = 'var(--button-bg, #1c58d9)';
const ACCENT_RGB = 'var(--button-bg-rgb, 28, 88, 217)';
const ON_ACCENT = 'var(--button-color, #ffffff)';
const ERROR = 'var(--error-text, #d24b4e)';
const ERROR_RGB = 'var(--error-text-color-rgb, 210, 75, 78)';
const OK = 'var(--online-indicator, #3db887)';
const WARN = 'var(--away-indicator, #ffbc1f)';

export const CSS = `
.offb-root { color: ${FG}; font-size: 14px; line-height: 20px; }
.offb-root *:focus-visible { outline: 2px solid ${ACCENT}; outline-offset: 2px; }
.offb-sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.offb-muted { color: rgba(${FG_RGB}, 0.72); }
.offb-strong { font-weight: 600; }
.offb-grow { flex: 1 1 auto; }
.offb-row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
.offb-backdrop { position: fixed; inset: 0; z-index: 1050; display: flex; align-items: flex-start; justify-content: center;
  padding: 48px 16px; background: rgba(0, 0, 0, 0.5); overflow-y: auto; }
.offb-dialog { width: min(760px, 100%); background: ${BG}; color: ${FG}; border-radius: 8px;
  border: 1px solid rgba(${FG_RGB}, 0.16); box-shadow: 0 20px 32px rgba(0, 0, 0, 0.12); display: flex; flex-direction: column; }
.offb-dialog:focus { outline: none; }
.offb-dialog__header { display: flex; align-items: center; padding: 20px 24px 8px; }
.offb-dialog__title { flex: 1; margin: 0; font-size: 22px; line-height: 28px; font-weight: 600; }
.offb-dialog__body { padding: 8px 24px 16px; max-height: calc(100vh - 260px); overflow-y: auto; }
.offb-dialog__footer { display: flex; gap: 8px; align-items: center; padding: 16px 24px 20px; border-top: 1px solid rgba(${FG_RGB}, 0.16); }
.offb-icon-btn { background: none; border: 0; color: rgba(${FG_RGB}, 0.72); font-size: 24px; width: 36px; height: 36px;
  border-radius: 4px; cursor: pointer; }
.offb-icon-btn:hover { background: rgba(${FG_RGB}, 0.08); }
.offb-stepper { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; margin: 0 0 16px; padding: 0;
  font-size: 12px; color: rgba(${FG_RGB}, 0.72); }
.offb-stepper__item { display: flex; gap: 6px; align-items: center; }
.offb-stepper__item[aria-current="step"] { color: ${FG}; font-weight: 600; }
.offb-stepper__num { display: inline-flex; width: 20px; height: 20px; border-radius: 50%; align-items: center; justify-content: center;
  border: 1px solid rgba(${FG_RGB}, 0.32); font-size: 11px; }
.offb-stepper__item[aria-current="step"] .offb-stepper__num { background: ${ACCENT}; border-color: ${ACCENT}; color: ${ON_ACCENT}; }
.offb-stepper__item--done .offb-stepper__num { border-color: ${OK}; color: ${OK}; }
.offb-step-heading { font-size: 16px; font-weight: 600; margin: 0 0 12px; }
.offb-step-heading:focus { outline: none; }
.offb-input { background: ${BG}; color: ${FG}; border: 1px solid rgba(${FG_RGB}, 0.24); border-radius: 4px; padding: 8px 12px;
  font: inherit; min-height: 36px; box-sizing: border-box; }
.offb-input:focus { border-color: ${ACCENT}; box-shadow: inset 0 0 0 1px ${ACCENT}; outline: none; }
.offb-input[aria-invalid="true"] { border-color: ${ERROR}; }
textarea.offb-input { width: 100%; }
.offb-field { display: flex; flex-direction: column; gap: 4px; margin: 8px 0; }
.offb-field label { font-weight: 600; }
.offb-btn { font: inherit; font-weight: 600; border-radius: 4px; padding: 8px 16px; min-height: 36px; cursor: pointer; border: 1px solid transparent; }
.offb-btn:disabled { opacity: 0.48; cursor: not-allowed; }
.offb-btn--primary { background: ${ACCENT}; color: ${ON_ACCENT}; }
.offb-btn--secondary { background: rgba(${ACCENT_RGB}, 0.08); color: ${ACCENT}; border-color: rgba(${ACCENT_RGB}, 0.24); }
.offb-btn--tertiary { background: transparent; color: ${ACCENT}; }
.offb-btn--danger { background: ${ERROR}; color: #ffffff; }
.offb-link { background: none; border: 0; padding: 0; font: inherit; color: var(--link-color, ${ACCENT}); cursor: pointer; text-decoration: underline; }
.offb-box { border: 1px solid rgba(${FG_RGB}, 0.16); border-radius: 4px; padding: 12px 16px; margin: 0 0 12px; min-width: 0; }
.offb-box__title { font-weight: 600; font-size: 14px; padding: 0 4px; margin: 0 0 4px; }
.offb-list { list-style: none; padding: 0; margin: 4px 0; }
.offb-list li { padding: 2px 0; }
.offb-badges { display: flex; flex-wrap: wrap; gap: 4px; list-style: none; padding: 0; margin: 4px 0; }
.offb-badge { display: inline-block; font-size: 11px; line-height: 16px; font-weight: 600; padding: 0 6px; border-radius: 4px;
  background: rgba(${FG_RGB}, 0.08); color: ${FG}; text-transform: uppercase; margin-left: 4px; }
.offb-badges .offb-badge { margin-left: 0; }
.offb-badge--ok, .offb-badge--exact { background: rgba(${FG_RGB}, 0.08); color: ${OK}; }
.offb-badge--warn, .offb-badge--risk-high, .offb-badge--not_found { color: ${ERROR}; background: rgba(${ERROR_RGB}, 0.12); }
.offb-badge--ambiguous, .offb-badge--risk-medium { color: ${FG}; background: ${WARN}; }
.offb-warning { border-left: 4px solid ${WARN}; padding: 4px 8px; margin: 8px 0; background: rgba(${FG_RGB}, 0.04); }
.offb-error { display: flex; gap: 12px; align-items: center; border-left: 4px solid ${ERROR}; background: rgba(${ERROR_RGB}, 0.08);
  color: ${FG}; padding: 8px 12px; margin: 12px 0 0; border-radius: 4px; }
.offb-error__text { flex: 1; }
.offb-error--inline { margin: 4px 0; }
.offb-busy { display: flex; align-items: center; gap: 8px; color: rgba(${FG_RGB}, 0.72); margin: 8px 0; }
.offb-spinner { width: 14px; height: 14px; border-radius: 50%; border: 2px solid rgba(${FG_RGB}, 0.16); border-top-color: ${ACCENT};
  animation: offb-spin 0.8s linear infinite; }
@keyframes offb-spin { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .offb-spinner { animation: none; } }
.offb-switch { display: grid; grid-template-columns: auto 1fr; column-gap: 10px; align-items: center; padding: 4px 0; }
.offb-switch__input { appearance: none; width: 32px; height: 18px; border-radius: 9px; background: rgba(${FG_RGB}, 0.32);
  position: relative; cursor: pointer; margin: 0; }
.offb-switch__input::after { content: ""; position: absolute; top: 2px; left: 2px; width: 14px; height: 14px; border-radius: 50%;
  background: ${BG}; transition: left 0.1s; }
.offb-switch__input:checked { background: ${ACCENT}; }
.offb-switch__input:checked::after { left: 16px; }
.offb-switch__input:disabled { opacity: 0.48; cursor: not-allowed; }
.offb-switch__desc { grid-column: 2; font-size: 12px; }
.offb-radio { padding: 4px 0; }
.offb-radio input { accent-color: ${ACCENT}; }
.offb-radio label { margin-left: 6px; font-weight: 600; }
.offb-person { display: flex; gap: 12px; align-items: flex-start; margin: 12px 0; padding: 12px; border-radius: 4px;
  border: 1px solid rgba(${FG_RGB}, 0.16); }
.offb-person__name { font-weight: 600; font-size: 16px; }
.offb-avatar { border-radius: 50%; flex: none; object-fit: cover; }
.offb-avatar--initials { display: inline-flex; align-items: center; justify-content: center; background: rgba(${ACCENT_RGB}, 0.16);
  color: ${ACCENT}; font-weight: 600; }
.offb-counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 4px 16px; margin: 8px 0; }
.offb-counts__item { display: flex; justify-content: space-between; border-bottom: 1px solid rgba(${FG_RGB}, 0.08); }
.offb-counts dd { margin: 0; font-weight: 600; }
.offb-progress { height: 8px; border-radius: 4px; background: rgba(${FG_RGB}, 0.12); overflow: hidden; margin: 8px 0 4px; }
.offb-progress__fill { height: 100%; background: ${OK}; transition: width 0.3s; }
.offb-progress__fill--error { background: ${ERROR}; }
.offb-card { border: 1px solid rgba(${FG_RGB}, 0.16); border-radius: 8px; padding: 12px 16px; margin: 4px 0; background: ${BG}; max-width: 720px; }
.offb-card__header { display: flex; gap: 8px; align-items: center; }
.offb-card__title { flex: 1; margin: 0; font-size: 15px; font-weight: 600; }
.offb-card__summary { margin: 0 0 8px; color: rgba(${FG_RGB}, 0.72); }
.offb-card__fallback-text { white-space: pre-wrap; }
.offb-status { font-size: 12px; font-weight: 600; padding: 2px 8px; border-radius: 10px; background: rgba(${FG_RGB}, 0.08); }
.offb-status--completed { color: ${OK}; }
.offb-status--completed_with_errors, .offb-status--cancelled { color: ${ERROR}; }
.offb-card__group { margin-top: 8px; }
.offb-card__group-toggle { background: none; border: 0; padding: 4px 0; font: inherit; font-weight: 600; color: ${FG}; cursor: pointer; }
.offb-card__phase-title { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; margin: 8px 0 2px; color: rgba(${FG_RGB}, 0.72); }
.offb-steps { list-style: none; margin: 0; padding: 0; }
.offb-step { padding: 3px 0; }
.offb-step__line { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.offb-step__reason { margin: 4px 0 4px 28px; padding: 6px 10px; border-left: 3px solid ${ERROR}; background: rgba(${ERROR_RGB}, 0.08);
  white-space: pre-wrap; }
.offb-step__note, .offb-step__actions, .offb-note-form { margin-left: 28px; }
.offb-note-form { display: flex; flex-direction: column; gap: 4px; max-width: 480px; margin-top: 4px; }
.offb-state { display: inline-flex; width: 20px; justify-content: center; font-weight: 700; flex: none; }
.offb-state--done, .offb-state--already_done, .offb-state--manual_done { color: ${OK}; }
.offb-state--failed { color: ${ERROR}; }
.offb-state--running { color: ${ACCENT}; }
.offb-state--pending, .offb-state--skipped { color: rgba(${FG_RGB}, 0.56); }
.offb-state--manual_pending { color: ${FG}; }
.offb-profile-action { width: 100%; margin-top: 8px; }
.offb-identity-editor { margin: 8px 0; max-width: 480px; }
.offb-identity-editor .offb-input { width: 100%; }
.offb-checklist-item { padding: 2px 0; }
.offb-assignee { margin: 0 0 8px 42px; max-width: 360px; }
.offb-assignee label { font-weight: 400; font-size: 12px; }
`;

const STYLE_ID = 'offboarding-plugin-styles';

/** Adds the stylesheet to the document once (idempotent across re-initialisation). */
export function ensureStyles(doc: Document = document): void {
    if (doc.getElementById(STYLE_ID)) {
        return;
    }
    const style = doc.createElement('style');
    style.id = STYLE_ID;
    style.textContent = CSS;
    doc.head.appendChild(style);
}
